/**
 * The reference's _uncompress_agent_v1_trace, run on the MessageToDict form of an
 * AgentPayload from the agent interface: each idxTracerPayload's string references are
 * resolved on spans (serviceRef, nameRef, ... become the strings), attributes of payload,
 * chunks, spans and span links become {name: value}, chunk and link trace ids become
 * "0x" + upper-case hex, chunk originRef and link tracestateRef are resolved. Span events are
 * left as they are (the reference looks for them under other names).
 */
import type { Json, JsonObject } from "../../json/value.js";
import { stringAt, uncompressAttributes } from "./idx-attributes.js";

const SPAN_STRING_KEYS = new Set([
  "service", "name", "resource", "type", "env", "version", "component",
  "serviceRef", "typeRef", "nameRef", "resourceRef", "envRef", "versionRef", "componentRef",
]);

export function uncompressIdxTracerPayloads(data: JsonObject): void {
  const payloads = data.idxTracerPayloads;
  if (!Array.isArray(payloads)) return;
  for (let i = 0; i < payloads.length; i++) {
    const payload = payloads[i] as JsonObject;
    const strings = (payload.strings ?? []) as Json[];
    if (Array.isArray(payload.chunks)) payload.chunks = payload.chunks.map((c) => resolveSpanStrings(c as JsonObject, strings));
    payload.attributes = uncompressAttributes(payload.attributes ?? {}, strings);
    for (const chunk of (payload.chunks ?? []) as JsonObject[]) {
      chunk.traceID = hexTraceId(chunk.traceID);
      chunk.attributes = uncompressAttributes(chunk.attributes ?? {}, strings);
      const originRef = chunk.originRef;
      if (typeof originRef === "number" && originRef < strings.length) chunk.origin = strings[originRef];
      for (const span of (chunk.spans ?? []) as JsonObject[]) {
        span.attributes = uncompressAttributes(span.attributes ?? {}, strings);
        for (const link of (span.links ?? []) as JsonObject[]) uncompressLink(link, strings);
      }
    }
  }
}

/** _uncompress_chunks_values: a chunk copy whose spans have their string references resolved. */
function resolveSpanStrings(chunk: JsonObject, strings: Json[]): JsonObject {
  if (!Array.isArray(chunk.spans)) return chunk;
  const spans = chunk.spans.map((s) => {
    const span: JsonObject = {};
    for (const [k, v] of Object.entries(s as JsonObject)) span[k] = SPAN_STRING_KEYS.has(k) && typeof v === "number" ? stringAt(strings, v) : v;
    return span;
  });
  return { ...chunk, spans };
}

/** _deserialize_base64_trace_id: bytes (base64 in MessageToDict) → "0x" + upper-case hex; required. */
function hexTraceId(traceId: Json | undefined): string {
  if (typeof traceId !== "string") throw new TypeError(`Trace ID is not a bytes: ${traceId === undefined ? "None" : String(traceId)}`);
  return "0x" + Buffer.from(traceId, "base64").toString("hex").toUpperCase();
}

/** _uncompress_span_link, for the agent's links (string keys already). */
function uncompressLink(link: JsonObject, strings: Json[]): void {
  if ("traceID" in link) link.traceID = hexTraceId(link.traceID);
  if ("attributes" in link) link.attributes = uncompressAttributes(link.attributes, strings);
  if ("tracestateRef" in link) {
    const ref = link.tracestateRef;
    delete link.tracestateRef;
    if (typeof ref === "number" && ref < strings.length) link.tracestate = strings[ref];
  }
}
