/**
 * msgpack bodies: the tracer's v0.4 and v0.5 trace payloads, normalized as the reference does
 * (span ids unsigned, nested JSON in meta expanded where the route asks for it), and any other
 * msgpack body as it is. Bytes values are converted only when the payload has any. Which body
 * gets which treatment is the routing table's business (routes.ts), given here as options.
 */
import type { Json } from "../json/value.js";
import { convertBytesValues } from "./bytes-values.js";
import { unpack, type MsgValue } from "./msgpack.js";
import { expandTracesMeta, unsignedTraceIds } from "./traces-v04.js";
import { expandTracesV05 } from "./traces-v05.js";

export interface TracesOptions {
  /** Expand JSON nested in span meta (the reference does it for the main library only). */
  expandMeta: boolean;
}

/** Any msgpack body, as Python's unpackb gives it. */
export function decodeMsgpack(body: Buffer): Json {
  const { value, sawBytes } = unpack(body);
  return sawBytes ? convertBytesValues(value) : (value as Json);
}

/** A v0.4 trace payload: `[[span, ...], ...]`. */
export function decodeTracesV04(body: Buffer, options: TracesOptions): Json {
  return normalizeTraces(unpack(body), options);
}

/** A v0.5 trace payload: a string table and spans as arrays, expanded to v0.4's shape first. */
export function decodeTracesV05(body: Buffer, options: TracesOptions): Json {
  const { value, sawBytes } = unpack(body);
  return normalizeTraces({ value: expandTracesV05(value), sawBytes }, options);
}

function normalizeTraces({ value, sawBytes }: { value: MsgValue; sawBytes: boolean }, options: TracesOptions): Json {
  unsignedTraceIds(value);
  if (options.expandMeta) expandTracesMeta(value);
  return sawBytes ? convertBytesValues(value) : (value as Json);
}
