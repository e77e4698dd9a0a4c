/** The dd-trace major the e2e fixtures must load on this Node: @6 from Node 22 on (what users run), @5 on Node 20. */
export const TRACER_MAJOR = Number(process.versions.node.split(".")[0]) >= 22 ? 6 : 5;
