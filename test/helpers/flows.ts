import { listFlows } from "../../src/replay/flows-folder.js";
import { toFlowRecord, type FlowRecord } from "../../src/record/flow.js";

/** The flow records a log folder holds for one interface, in number order, in the corpus form. */
export function recordedFlows(logFolder: string, iface: string): (FlowRecord & { counter: number; dumpName: string })[] {
  const { entries, warnings } = listFlows(logFolder);
  if (warnings.length > 0) throw new Error(warnings.join("\n"));
  return entries.filter((e) => e.interface === iface).map((e) => ({ ...toFlowRecord(e.read(), e.logFilename), counter: e.counter, dumpName: e.dumpName }));
}
