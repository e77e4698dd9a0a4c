/**
 * msgpack bodies (application/msgpack, and /v0.6/stats whatever its type): the tracer's v0.4
 * and v0.5 trace payloads are normalized as the reference does, then bytes values converted.
 * This is the hot path of a test run: one msgpack walk, one pass over the spans, and the
 * bytes pass only when the payload has bytes at all.
 */
import type { Json } from "../json/value.js";
import { convertBytesValues } from "./bytes-values.js";
import { unpack, type MsgValue } from "./msgpack.js";
import { expandTracesMeta, unsignedTraceIds } from "./traces-v04.js";
import { expandTracesV05 } from "./traces-v05.js";

export function decodeTracerMsgpack(body: Buffer, path: string, iface: string, fromTracer: boolean): Json {
  const { value, sawBytes } = unpack(body);
  let result: MsgValue = value;
  if (fromTracer && (path === "/v0.4/traces" || path === "/v0.5/traces")) {
    if (path === "/v0.5/traces") result = expandTracesV05(result);
    unsignedTraceIds(result);
    // The reference expands nested JSON for the main library only, not for the buddies.
    if (iface === "library") expandTracesMeta(result);
  }
  return sawBytes ? convertBytesValues(result) : (result as Json);
}
