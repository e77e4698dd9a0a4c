// Spans out of a dump's decoded content, whatever the trace format: library v0.4 / v0.5
// (lists of traces, each a list of spans), v1.0 (chunks, trace id on the chunk), and the
// agent's AgentPayload on /api/v0.2/traces (tracerPayloads → chunks → spans, 64-bit values as
// decimal strings; idxTracerPayloads with *Ref fields already resolved to strings).
import { JsonNumber, JsonObject, at } from "./json-text.js";

/**
 * @typedef {{ id: string, parent: string | undefined, traceId: string, start: bigint, duration: bigint,
 *   service: string, name: string, resource: string, type: string, error: boolean, tags: unknown[], raw: JsonObject }} Span
 * @typedef {{ traceId: string, spans: Span[] }} Trace
 */

/** True when the path carries trace payloads the waterfall can draw. */
export function isTracePath(path) {
  return /^\/v0\.[45]\/traces$|^\/v1\.0\/traces$|^\/api\/v0\.2\/traces$/.test(path);
}

/** The traces of a decoded trace payload (empty when it holds none, or is not one). @returns {Trace[]} */
export function tracesOf(path, content) {
  /** @type {{ spans: unknown[], traceId?: unknown }[]} */
  const groups = [];
  if (/^\/v0\.[45]\/traces$/.test(path) && Array.isArray(content)) {
    for (const t of content) if (Array.isArray(t)) groups.push({ spans: t });
  } else if (path === "/v1.0/traces") {
    for (const c of arr(at(content, "chunks"))) groups.push({ spans: arr(at(c, "spans")), traceId: at(c, "trace_id") });
  } else if (path === "/api/v0.2/traces") {
    for (const key of ["tracerPayloads", "idxTracerPayloads"])
      for (const p of arr(at(content, key))) for (const c of arr(at(p, "chunks"))) groups.push({ spans: arr(at(c, "spans")), traceId: at(c, "traceID") ?? at(c, "trace_id") });
  }
  /** @type {Map<string, Trace>} */
  const traces = new Map();
  let n = 0;
  for (const g of groups) {
    n++;
    for (const raw of g.spans) {
      if (!(raw instanceof JsonObject)) continue;
      const span = toSpan(raw, g.traceId, n);
      let t = traces.get(span.traceId);
      if (!t) traces.set(span.traceId, (t = { traceId: span.traceId, spans: [] }));
      t.spans.push(span);
    }
  }
  return [...traces.values()];
}

function arr(v) {
  return Array.isArray(v) ? v : [];
}

/** An id as canonical text: numbers exactly, strings as they are; 0 / null / absent is "none". */
function idText(v) {
  if (v instanceof JsonNumber) return v.text === "0" ? undefined : v.text;
  if (typeof v === "string") return v === "" || v === "0" ? undefined : v;
  return undefined;
}

function big(v) {
  try {
    if (v instanceof JsonNumber) return v.bigint ?? BigInt(Math.trunc(v.value));
    if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  } catch {
    // not a number
  }
  return 0n;
}

function str(...vs) {
  for (const v of vs) if (typeof v === "string") return v;
  return "";
}

/** @returns {Span} */
function toSpan(raw, chunkTraceId, group) {
  const g = (k) => raw.get(k);
  const err = g("error");
  return {
    id: idText(g("span_id") ?? g("spanID")) ?? `?${group}`,
    parent: idText(g("parent_id") ?? g("parentID")),
    traceId: idText(g("trace_id") ?? g("traceID") ?? chunkTraceId) ?? `(chunk ${group})`,
    start: big(g("start")),
    duration: big(g("duration")),
    service: str(g("service"), g("serviceRef")),
    name: str(g("name"), g("nameRef")),
    resource: str(g("resource"), g("resourceRef")),
    type: str(g("type"), g("typeRef")),
    error: err === true || (err instanceof JsonNumber && err.value !== 0),
    tags: ["meta", "metrics", "attributes", "meta_struct", "metaStruct", "span_links", "links", "events"].filter((k) => raw.has(k)).map((k) => [k, g(k)]),
    raw,
  };
}

/**
 * The spans of a trace in waterfall order: each span followed by its children (by start), a
 * span whose parent is not in the trace is a root. Depth for indentation.
 * @param {Trace} trace
 * @returns {{ span: Span, depth: number }[]}
 */
export function waterfallOrder(trace) {
  const byId = new Map(trace.spans.map((s) => [s.id, s]));
  /** @type {Map<string | undefined, Span[]>} */
  const children = new Map();
  const roots = [];
  for (const s of trace.spans) {
    if (s.parent !== undefined && byId.has(s.parent) && s.parent !== s.id) {
      if (!children.has(s.parent)) children.set(s.parent, []);
      children.get(s.parent).push(s);
    } else roots.push(s);
  }
  const byStart = (a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
  const out = [];
  const seen = new Set();
  const walk = (s, depth) => {
    if (seen.has(s)) return; // a cycle of parent ids
    seen.add(s);
    out.push({ span: s, depth });
    for (const c of (children.get(s.id) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) walk(r, 0);
  // Spans only reachable through a cycle.
  for (const s of trace.spans) if (!seen.has(s)) walk(s, 0);
  return out;
}
