/**
 * The tracer's v0.4 trace payload (`[[span, ...], ...]`, spans as maps), after msgpack:
 * 64-bit ids made unsigned and JSON nested in meta expanded, in place.
 */
import type { MsgValue } from "./msgpack.js";
import { pyContains, pyIter } from "./python-ops.js";
import { expandSpanMeta } from "./span-meta.js";

const ID_KEYS = ["trace_id", "parent_id", "span_id"] as const;
const TWO_64 = 1n << 64n;

/**
 * Span ids are unsigned 64-bit, but tracers of languages without unsigned integers (Java...)
 * send the same bits as a negative int64: the agent reads them back as unsigned, and so does
 * the reference (_decode_unsigned_int_traces).
 */
export function unsignedTraceIds(traces: MsgValue): void {
  for (const trace of pyIter(traces))
    for (const span of pyIter(trace)) {
      for (const key of ID_KEYS) {
        if (!pyContains(span, key)) continue;
        if (Array.isArray(span) || typeof span !== "object" || span === null) throw new TypeError("list indices must be integers or slices, not str");
        const s = span as Record<string, MsgValue>;
        s[key] = toUnsigned64(s[key]);
      }
    }
}

/** Two's complement of a negative int64; other values unchanged (as _parse_as_unsigned_int). */
export function toUnsigned64(value: MsgValue): MsgValue {
  if (typeof value === "number") return Number.isInteger(value) && value < 0 ? BigInt(value) + TWO_64 : value;
  if (typeof value === "bigint") return value < 0n ? value + TWO_64 : value;
  return value;
}

/** _deserialized_nested_json_from_trace_payloads for the library's v0.4/v0.5 payloads. */
export function expandTracesMeta(traces: MsgValue): void {
  for (const trace of pyIter(traces)) for (const span of pyIter(trace)) expandSpanMeta(span);
}
