/**
 * The few Python operations the reference's payload walkers rely on (`for x in v`, `k in v`,
 * `int(v)`, `seq[i]`), for decoded values of either shape (plain objects from `unpack`, Maps
 * from `unpackPython`). They throw where Python raises, so that a malformed payload fails
 * here exactly when it failed there.
 */
import { ExtType } from "./msgpack.js";
import { PyFloat } from "../json/value.js";

export function isMapping(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  return v instanceof Map || (v !== null && typeof v === "object" && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof ExtType) && !(v instanceof PyFloat));
}

/** Python's type name, for error messages that read like the reference's. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (v instanceof PyFloat) return "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  if (Buffer.isBuffer(v)) return "bytes";
  if (v instanceof ExtType) return "ExtType";
  return "dict";
}

/** `for x in v`: list items, dict keys, characters of a str, ints of bytes, fields of a tuple. */
export function pyIter(v: unknown): Iterable<unknown> {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return Array.from(v);
  if (Buffer.isBuffer(v)) return Array.from(v);
  if (v instanceof Map) return v.keys();
  if (v instanceof ExtType) return [v.code, v.data];
  if (isMapping(v)) return Object.keys(v);
  throw new TypeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** `key in v` for a str key. */
export function pyContains(v: unknown, key: string): boolean {
  if (v instanceof Map) return v.has(key);
  if (Array.isArray(v)) return v.includes(key);
  if (typeof v === "string") return v.includes(key);
  if (Buffer.isBuffer(v)) throw new TypeError("a bytes-like object is required, not 'str'");
  if (v instanceof ExtType) return false;
  if (isMapping(v)) return Object.hasOwn(v, key);
  throw new TypeError(`argument of type '${pyTypeName(v)}' is not iterable`);
}

/** int(v), for the kinds of values a payload carries. */
export function pyInt(v: unknown): number {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof PyFloat) return Math.trunc(v.value);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot convert float ${v} to integer`);
    return Math.trunc(v);
  }
  const text = typeof v === "string" ? v : Buffer.isBuffer(v) ? v.toString("latin1") : undefined;
  if (text !== undefined) {
    const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(text);
    if (!m) throw new Error(`ValueError: invalid literal for int() with base 10: ${JSON.stringify(text)}`);
    return Number(m[1].replace(/_/g, ""));
  }
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

/** seq[i] on a list, with Python's negative indexes. */
export function pyIndex<T>(seq: unknown, i: number): T {
  if (!Array.isArray(seq)) {
    if (typeof seq === "string") {
      const chars = Array.from(seq);
      return pyIndex<T>(chars, i);
    }
    throw new TypeError(`'${pyTypeName(seq)}' object is not subscriptable by int`);
  }
  const at = i < 0 ? seq.length + i : i;
  if (at < 0 || at >= seq.length) throw new RangeError("IndexError: list index out of range");
  return seq[at] as T;
}

/** Python's truthiness test `v != 0` for a decoded number-like value. */
export function pyIsZero(v: unknown): boolean {
  return v === 0 || v === 0n || v === false || (v instanceof PyFloat && v.value === 0);
}
