/**
 * A Python value (from `unpackPython`, possibly holding JSON already decoded) as the reference's
 * json.dump writes it: dict keys named as json.dump names them (ints as digits, floats by repr,
 * True/False/None as true/false/null; bytes keys cannot be written), bytes as their repr,
 * ExtType as [code, data].
 */
import type { Json, JsonObject } from "../json/value.js";
import { defineOwn, ExtType, type PyValue } from "./msgpack.js";
import { bytesRepr, floatKeyRepr } from "./python-repr.js";
import { pyTypeName } from "./python-ops.js";

export function pyToJson(v: PyValue | Json): Json {
  switch (typeof v) {
    case "bigint":
      return Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : v;
    case "number":
    case "string":
    case "boolean":
      return v;
  }
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return bytesRepr(v);
  if (v instanceof ExtType) {
    if (v.code === -1) throw new TypeError("Object of type Timestamp is not JSON serializable");
    return [v.code, bytesRepr(v.data)];
  }
  if (Array.isArray(v)) return v.map((item) => pyToJson(item));
  if (v instanceof Map) {
    const out: JsonObject = {};
    for (const [k, item] of v) {
      const key = keyName(k);
      const value = pyToJson(item);
      if (key === "__proto__") defineOwn(out, key, value);
      else out[key] = value;
    }
    return out;
  }
  // Already JSON (a document decoded from a nested JSON string).
  return v;
}

function keyName(k: PyValue): string {
  switch (typeof k) {
    case "string":
      return k;
    case "bigint":
      return k.toString();
    case "number":
      return floatKeyRepr(k);
    case "boolean":
      return k ? "true" : "false";
  }
  if (k === null) return "null";
  throw new TypeError(`keys must be str, int, float, bool or None, not ${pyTypeName(k)}`);
}
