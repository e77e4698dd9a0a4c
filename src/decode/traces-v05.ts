/**
 * The tracer's v0.5 trace payload: `[strings, traces]`, each span an array of 12 fields whose
 * strings are indexes into the string table. Expanded into v0.4-style span maps, as the
 * reference's _decode_v_0_5_traces does (a zero parent_id or duration becomes null).
 */
import { defineOwn, ExtType, NON_STR_KEYS, type MsgObject, type MsgValue } from "./msgpack.js";
import { floatKeyRepr } from "./python-repr.js";
import { isMapping, pyIndex, pyInt, pyIsZero, pyIter, pyTypeName } from "./python-ops.js";

export function expandTracesV05(content: MsgValue): MsgValue[][] {
  if (!Array.isArray(content) || content.length !== 2) throw new TypeError(`cannot unpack ${pyTypeName(content)} into (strings, payload)`);
  const [strings, payload] = content;
  const str = (index: MsgValue): MsgValue => pyIndex<MsgValue>(strings, pyInt(index));
  const result: MsgValue[][] = [];
  for (const spans of pyIter(payload)) {
    const decoded: MsgValue[] = [];
    result.push(decoded);
    for (const span of pyIter(spans)) {
      const field = (i: number): MsgValue => pyIndex<MsgValue>(span, i);
      const out: MsgObject = {};
      out.service = str(field(0));
      out.name = str(field(1));
      out.resource = str(field(2));
      out.trace_id = field(3);
      out.span_id = field(4);
      out.parent_id = pyIsZero(field(5)) ? null : field(5);
      out.start = field(6);
      out.duration = pyIsZero(field(7)) ? null : field(7);
      out.error = field(8);
      out.meta = mapEntries(field(9), (value) => str(value), str);
      out.metrics = mapEntries(field(10), (value) => value, str);
      out.type = str(field(11));
      decoded.push(out);
    }
  }
  return result;
}

/** `{strings[int(k)]: f(v) for k, v in m.items()}` */
function mapEntries(m: MsgValue, valueOf: (v: MsgValue) => MsgValue, str: (i: MsgValue) => MsgValue): MsgObject {
  if (!isMapping(m) || m instanceof Map) throw new TypeError(`'${pyTypeName(m)}' object has no attribute 'items'`);
  const src = m as MsgObject;
  // Integer keys (string indexes) come back in wire order only from the side table.
  const rawKeys = NON_STR_KEYS.get(src);
  const out: MsgObject = {};
  let outKeys: Map<string, MsgValue> | undefined;
  for (const [k, raw] of rawKeys ?? Object.keys(src).map((k): [string, MsgValue] => [k, k])) {
    const entry = str(raw);
    const key = keyText(entry);
    if (typeof entry !== "string" && !outKeys) {
      outKeys = new Map(Object.keys(out).map((name): [string, MsgValue] => [name, name]));
      NON_STR_KEYS.set(out, outKeys);
    }
    outKeys?.set(key, entry);
    const value = valueOf(src[k]);
    if (key === "__proto__") defineOwn(out, key, value);
    else out[key] = value;
  }
  return out;
}

/** The dict key a string-table entry makes, as json.dump names it. */
function keyText(key: MsgValue): string {
  if (typeof key === "string") return key;
  if (typeof key === "number") return Number.isInteger(key) ? String(key) : floatKeyRepr(key);
  if (typeof key === "bigint") return key.toString();
  if (typeof key === "boolean") return key ? "true" : "false";
  if (key === null) return "null";
  if (key instanceof ExtType || Buffer.isBuffer(key)) throw new TypeError(`keys must be str, int, float, bool or None, not ${pyTypeName(key)}`);
  throw new TypeError(`unhashable type: '${pyTypeName(key)}'`);
}
