/**
 * MessagePack decoding with the semantics of the reference's
 * `msgpack.unpackb(data, unicode_errors="replace", strict_map_key=False)` (Python msgpack 1.0):
 * invalid UTF-8 in a str becomes U+FFFD (as Python's "replace" handler does, one per maximal
 * invalid subsequence), map keys may be of any scalar type, bin stays bytes, integers stay
 * exact (bigint beyond 2^53), trailing bytes after the value are an error.
 *
 * Written here rather than taken from @msgpack/msgpack 3.1.3 because that library cannot be
 * made to do this: strings under 200 bytes go through a JS decoder that does not replace
 * invalid UTF-8 (it reads into the following bytes), a "__proto__" key is refused, keys other
 * than string/number are refused, and with useBigInt64 every int64-typed value becomes a
 * bigint, small or not. See the README's dependency notes for the measurements.
 *
 * Two output shapes:
 * - `unpack` (the hot path, traces): plain objects with string keys, the way Python's
 *   json.dump would name non-string keys; bytes as Buffer (views into the input);
 * - `unpackPython`: a faithful Python value (ints as bigint, floats as number, dicts as Map with
 *   keys of any type in wire order), for formats whose decoding depends on key types and order
 *   (v1.0 traces).
 */
import { floatKeyRepr } from "./python-repr.js";
import { PyFloat } from "../json/value.js";
import { MAX_DECODED_VALUES, TooManyValuesError } from "./limits.js";
import { PayloadError } from "../errors.js";

/** Python msgpack's ExtType(code, data); code -1 (timestamp) is kept as such too. */
export class ExtType {
  constructor(
    readonly code: number,
    readonly data: Buffer,
  ) {}
}

/** A value from `unpack`. */
export type MsgValue = null | boolean | number | bigint | string | Buffer | ExtType | PyFloat | MsgValue[] | MsgObject;
export interface MsgObject {
  [key: string]: MsgValue;
}

/** A value from `unpackPython`: int → bigint, float → number, dict → Map. */
export type PyValue = null | boolean | number | bigint | string | Buffer | ExtType | PyValue[] | PyDict;
export type PyDict = Map<PyValue, PyValue>;

export class MsgpackError extends PayloadError {
  readonly code: string = "PAYLOAD_MSGPACK";
  override name = "MsgpackError";
}

// Python's unpacker keeps its own stack of containers; deeper input is an error there too.
const MAX_DEPTH = 1024;
const TWO_32 = 4294967296;
// Below this, ASCII strings are built in JS: cheaper than crossing into C++ for a few bytes.
const SHORT_STRING = 24;

// Trace payloads repeat the same few hundred map keys and short values; decoding each once and
// handing out the same string halves the decoding time (V8 finds the key already internalized).
const KEY_CACHE_SIZE = 4096;
// String values up to this length go through the same cache (keys of any fixstr length do).
const SHORT_VALUE = 12;
const keyCache = new Map<number, { bytes: Uint8Array; text: string }>();

const incomplete = () => new MsgpackError("Unpack failed: incomplete input");

class Reader {
  pos = 0;
  depth = 0;
  /** Set when a bin or ext value was seen: only then must the caller look for bytes. */
  sawBytes = false;
  constructor(readonly buf: Buffer) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw incomplete();
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** An int64/uint64 as a number when it fits exactly, else as a bigint. */
  u64(): number | bigint {
    this.need(8);
    const hi = this.buf.readUInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    const v = hi < 0x200000 ? hi * TWO_32 + lo : this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  i64(): number | bigint {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    const v = hi >= -0x200000 && hi < 0x200000 ? hi * TWO_32 + lo : this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  str(length: number): string {
    this.need(length);
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length < SHORT_STRING) {
      let s = "";
      for (let i = start; i < end; i++) {
        const c = buf[i];
        if (c > 0x7f) return buf.toString("utf8", start, end);
        s += String.fromCharCode(c);
      }
      return s;
    }
    // Node's UTF-8 decoder replaces each maximal invalid subsequence with one U+FFFD, as
    // Python's "replace" error handler does.
    return buf.toString("utf8", start, end);
  }

  /** A short string (map keys mostly): the same string object each time the same bytes come. */
  shortString(length: number): string {
    this.need(length);
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    let h = length;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
    const hit = keyCache.get(h);
    if (hit !== undefined && hit.bytes.length === length) {
      let same = true;
      for (let i = 0; i < length; i++)
        if (hit.bytes[i] !== buf[start + i]) {
          same = false;
          break;
        }
      if (same) {
        this.pos = end;
        return hit.text;
      }
    }
    const text = this.str(length);
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
    keyCache.set(h, { bytes: Uint8Array.prototype.slice.call(buf, start, end), text });
    return text;
  }

  bin(length: number): Buffer {
    this.need(length);
    this.sawBytes = true;
    const b = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return b;
  }

  ext(length: number): ExtType {
    this.need(length + 1);
    const code = this.buf.readInt8(this.pos);
    this.pos++;
    // Python decodes type -1 into a Timestamp, refusing other lengths than these.
    if (code === -1 && length !== 4 && length !== 8 && length !== 12) throw new MsgpackError(`Timestamp type can only be created from 32, 64, or 96-bit byte objects`);
    return new ExtType(code, this.bin(length));
  }

  /** Checks a container's announced size against what is left (each item takes a byte at least). */
  size(n: number, bytesPerItem: number): number {
    if (n * bytesPerItem > this.buf.length - this.pos) throw incomplete();
    return n;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) throw new MsgpackError("Unpack failed: nesting too deep");
  }

  /** Counts the values a container announces, against the budget of a decoding. */
  values = 0;
  count(n: number): void {
    if ((this.values += n) > MAX_DECODED_VALUES) throw new TooManyValuesError("msgpack");
  }
}

function readValue(r: Reader): MsgValue {
  const b = r.u8();
  if (b <= 0x7f) return b;
  if (b >= 0xe0) return b - 0x100;
  if (b >= 0xa0 && b <= 0xbf) return (b & 0x1f) <= SHORT_VALUE ? r.shortString(b & 0x1f) : r.str(b & 0x1f);
  if (b >= 0x90 && b <= 0x9f) return readArray(r, b & 0x0f);
  if (b >= 0x80 && b <= 0x8f) return readMap(r, b & 0x0f);
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xcc:
      return r.u8();
    case 0xcd:
      return r.u16();
    case 0xce:
      return r.u32();
    case 0xcf:
      return r.u64();
    case 0xd0: {
      const v = r.u8();
      return v > 0x7f ? v - 0x100 : v;
    }
    case 0xd1: {
      const v = r.u16();
      return v > 0x7fff ? v - 0x10000 : v;
    }
    case 0xd2: {
      const v = r.u32();
      return v > 0x7fffffff ? v - TWO_32 : v;
    }
    case 0xd3:
      return r.i64();
    case 0xca: {
      r.need(4);
      const v = r.buf.readFloatBE(r.pos);
      r.pos += 4;
      return v;
    }
    case 0xcb: {
      r.need(8);
      const v = r.buf.readDoubleBE(r.pos);
      r.pos += 8;
      return v;
    }
    case 0xd9:
      return r.str(r.u8());
    case 0xda:
      return r.str(r.u16());
    case 0xdb:
      return r.str(r.u32());
    case 0xc4:
      return r.bin(r.u8());
    case 0xc5:
      return r.bin(r.u16());
    case 0xc6:
      return r.bin(r.u32());
    case 0xdc:
      return readArray(r, r.u16());
    case 0xdd:
      return readArray(r, r.u32());
    case 0xde:
      return readMap(r, r.u16());
    case 0xdf:
      return readMap(r, r.u32());
    case 0xd4:
      return r.ext(1);
    case 0xd5:
      return r.ext(2);
    case 0xd6:
      return r.ext(4);
    case 0xd7:
      return r.ext(8);
    case 0xd8:
      return r.ext(16);
    case 0xc7:
      return r.ext(r.u8());
    case 0xc8:
      return r.ext(r.u16());
    case 0xc9:
      return r.ext(r.u32());
    default: // 0xc1, never used
      throw new MsgpackError("Unpack failed: error");
  }
}

/**
 * A value of `unpack`'s output: as readValue, except that a float holding a whole number is
 * boxed (PyFloat), so that the dump writes 1.0 where Python does. (Map keys and the Python
 * model of unpackPython keep plain numbers: they know floats by other means.)
 */
function readItem(r: Reader): MsgValue {
  const b = r.buf[r.pos];
  const v = readValue(r);
  return (b === 0xca || b === 0xcb) && Number.isInteger(v) ? new PyFloat(v as number) : v;
}

function readArray(r: Reader, n: number): MsgValue[] {
  r.size(n, 1);
  r.count(n);
  r.enter();
  const out = new Array<MsgValue>(n);
  for (let i = 0; i < n; i++) out[i] = readItem(r);
  r.depth--;
  return out;
}

function readMap(r: Reader, n: number): MsgObject {
  r.size(n, 2);
  r.count(n);
  r.enter();
  const out: MsgObject = {};
  let rawKeys: Map<string, MsgValue> | undefined;
  for (let i = 0; i < n; i++) {
    const kb = r.buf[r.pos];
    let key: string;
    if (kb >= 0xa0 && kb <= 0xbf) {
      r.pos++;
      key = r.shortString(kb & 0x1f);
      rawKeys?.set(key, key);
    } else {
      const raw = readValue(r);
      key = keyName(raw, kb === 0xca || kb === 0xcb);
      if (typeof raw !== "string" && !rawKeys) rawKeys = keysSoFar(out);
      rawKeys?.set(key, raw);
    }
    const value = readItem(r);
    if (key === "__proto__") defineOwn(out, key, value);
    else out[key] = value;
  }
  r.depth--;
  return out;
}

/** The name a map key gets in the dump: json.dump turns int, float, bool and None keys into text. */
function keyName(key: MsgValue, isFloat: boolean): string {
  switch (typeof key) {
    case "string":
      return key;
    case "number":
      return isFloat ? floatKeyRepr(key) : String(key);
    case "bigint":
      return key.toString();
    case "boolean":
      return key ? "true" : "false";
  }
  if (key === null) return "null";
  if (Array.isArray(key)) throw new MsgpackError("unhashable type: 'list'");
  if (Buffer.isBuffer(key)) throw new MsgpackError("keys must be str, int, float, bool or None, not bytes (the reference cannot write this payload)");
  if (key instanceof ExtType) throw new MsgpackError("keys must be str, int, float, bool or None, not ExtType (the reference cannot write this payload)");
  throw new MsgpackError("unhashable type: 'dict'");
}

/**
 * Objects from `unpack` (or built from its values) that had keys of another type than str:
 * every key as it was, by its name in the object, in wire order (which a JS object does not
 * keep for integer-like names). Python code that calls str methods on such keys fails there
 * and must fail here too; int(key) depends on the key's type; and where two keys resolve to
 * the same name, the later one wins. Rare (no tracer sends such keys), hence a side table
 * rather than a mark on every object.
 */
export const NON_STR_KEYS = new WeakMap<object, Map<string, MsgValue>>();

function keysSoFar(obj: MsgObject): Map<string, MsgValue> {
  const keys = new Map<string, MsgValue>(Object.keys(obj).map((k) => [k, k]));
  NON_STR_KEYS.set(obj, keys);
  return keys;
}

/** Sets an own property, even one named "__proto__" (plain assignment would set the prototype). */
export function defineOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Decodes one MessagePack value that must span the whole input. `sawBytes` says whether any
 * bin or ext value occurs in it (when not, no bytes need rendering). Throws MsgpackError.
 */
export function unpack(data: Buffer): { value: MsgValue; sawBytes: boolean } {
  const r = new Reader(data);
  const value = readItem(r);
  if (r.pos !== data.length) throw new MsgpackError("ExtraData: unpack(b) received extra data.");
  return { value, sawBytes: r.sawBytes };
}

/** As `unpack`, into Python's own value model (see PyValue). */
export function unpackPython(data: Buffer): PyValue {
  const r = new Reader(data);
  const value = readPy(r);
  if (r.pos !== data.length) throw new MsgpackError("ExtraData: unpack(b) received extra data.");
  return value;
}

function readPy(r: Reader): PyValue {
  const start = r.pos;
  const b = r.buf[start];
  if (b === undefined) throw incomplete();
  if ((b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd) {
    r.pos++;
    const n = r.size(b === 0xdc ? r.u16() : b === 0xdd ? r.u32() : b & 0x0f, 1);
    r.count(n);
    r.enter();
    const out = new Array<PyValue>(n);
    for (let i = 0; i < n; i++) out[i] = readPy(r);
    r.depth--;
    return out;
  }
  if ((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf) {
    r.pos++;
    const n = r.size(b === 0xde ? r.u16() : b === 0xdf ? r.u32() : b & 0x0f, 2);
    r.count(n);
    r.enter();
    const out: PyDict = new Map();
    for (let i = 0; i < n; i++) {
      const key = readPy(r);
      if (Array.isArray(key)) throw new MsgpackError("unhashable type: 'list'");
      if (key instanceof Map) throw new MsgpackError("unhashable type: 'dict'");
      out.set(key, readPy(r));
    }
    r.depth--;
    return out;
  }
  const v = readValue(r);
  // Python tells ints from floats; msgpack does too, by type byte.
  if (typeof v === "number" && !(b === 0xca || b === 0xcb)) return BigInt(v);
  return v as PyValue;
}
