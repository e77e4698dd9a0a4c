/**
 * The hot path of a test run: a tracer's v0.4 trace payload (msgpack) rendered straight to the
 * text of the dump (Python's json.dump, indent 2), in one pass over the bytes, with no object
 * tree in between. The output is exactly what the tree path writes (unpack → unsigned span ids
 * → meta expansion → writePythonJson), for the shapes tracers send: a list of lists of span
 * maps with str keys. Anything else — bin or ext values, keys that are not str, keys a
 * JavaScript object would reorder (integer-like) or that repeat, meta values the reference
 * expands (`_dd.appsec.*`, `_dd.iast.json`, `metaStruct`), truncated or trailing bytes, deep
 * nesting — returns undefined, and the caller takes the tree path, which knows every corner.
 *
 * Measured (60 KB dd-trace-shaped payload, this machine): tree path (unpack + writePythonJson)
 * vs this renderer; see the commit that introduced it.
 */
import { pythonFloatRepr, pythonNumber } from "../json/write.js";
import type { OutputScratch } from "./output-scratch.js";

export interface V04RenderOptions {
  /** Expand JSON nested in span meta (the reference does it for the main library only). */
  expandMeta: boolean;
  /** Nesting depth at which the value sits in the dump (request.content: 2). */
  depth: number;
}

const TWO_64 = 1n << 64n;
const TWO_32 = 4294967296;
/** Scratch for u64(): the base-10^4 groups of one number (20 digits at most: 5 groups). */
const GROUPS = new Array<number>(5).fill(0);
// Trace payloads are 3 levels deep plus meta; deeper input goes to the tree path, whose errors
// (nesting limits) are the reference's.
const MAX_DEPTH = 32;

/** Thrown to leave the fast path; never escapes this module. */
const BAIL = new Error("not on the fast path");

const bytes = (s: string) => Uint8Array.from(Buffer.from(s));
const ID_KEYS = [bytes("trace_id"), bytes("span_id"), bytes("parent_id")];
const META = bytes("meta");
const META_STRUCT = bytes("metaStruct");
const APPSEC_S = bytes("_dd.appsec.s.");
const JSON_META = [bytes("_dd.appsec.json"), bytes("_dd.iast.json")];

/** The bytes at buf[start...] begin with `word` (whole key: also compare the length). */
function startsWith(buf: Buffer, start: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

// What a map is, for the keys that matter in it.
const PLAIN = 0;
const SPAN = 1;
const SPAN_META = 2;

const NON_ASCII = /[\u007f-\uffff]/g;
const hex4 = (c: string) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");

/**
 * The dump text of a v0.4 payload, or undefined when it needs the tree path. With a scratch,
 * the text is written into it (valid until the scratch is used again).
 */
export function renderV04Traces(body: Buffer, options: V04RenderOptions, scratch?: OutputScratch): Buffer | undefined {
  const r = new Renderer(body, options, scratch);
  try {
    r.traces();
    if (r.pos !== body.length) return undefined;
    scratch?.keep(r.out);
    return r.out.subarray(0, r.at);
  } catch {
    // BAIL, or any surprise (a read past the end): the tree path says what is wrong.
    return undefined;
  }
}

class Renderer {
  pos = 0;
  out: Buffer;
  at = 0;
  private readonly base: number;
  private readonly expandMeta: boolean;
  /**
   * The keys of the maps being written, as a stack (a nested map's keys above its parent's):
   * start and length of each, so that a repeated key is found without making strings.
   */
  private keyStarts: Int32Array = new Int32Array(64);
  private keyLengths: Int32Array = new Int32Array(64);
  private keyTop = 0;

  constructor(
    private readonly buf: Buffer,
    options: V04RenderOptions,
    scratch: OutputScratch | undefined,
  ) {
    // Room for the usual expansion (indentation, quotes, digits of ids); room() grows it.
    const size = buf.length * 3 + 256;
    this.out = scratch ? scratch.take(size) : Buffer.allocUnsafe(size);
    this.base = options.depth;
    this.expandMeta = options.expandMeta;
  }

  // ---- output ----

  private room(n: number): void {
    if (this.at + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + n));
    this.out.copy(bigger, 0, 0, this.at);
    this.out = bigger;
  }

  private byte(b: number): void {
    this.room(1);
    this.out[this.at++] = b;
  }

  /** ASCII text (numbers, escaped strings). */
  private text(s: string): void {
    this.room(s.length);
    const out = this.out;
    let at = this.at;
    for (let i = 0; i < s.length; i++) out[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** `before` (a comma, or 0 for none), then a new line indented for `depth`. */
  private newline(depth: number, before = 0): void {
    const n = 2 * (this.base + depth);
    this.room(n + 2);
    const out = this.out;
    // Locals and a loop: Buffer#copy or fill cost more than they save for a few bytes.
    let at = this.at;
    if (before !== 0) out[at++] = before;
    out[at++] = 0x0a;
    const end = at + n;
    while (at < end) out[at++] = 0x20;
    this.at = at;
  }

  // ---- input ----

  private u8(): number {
    if (this.pos >= this.buf.length) throw BAIL;
    return this.buf[this.pos++];
  }
  private u16(): number {
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  private u32(): number {
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A container header: its item count, or -1 when the byte at pos starts something else. */
  private arrayHeader(): number {
    const b = this.u8();
    if (b >= 0x90 && b <= 0x9f) return b & 0x0f;
    if (b === 0xdc) return this.u16();
    if (b === 0xdd) return this.u32();
    throw BAIL;
  }
  private mapHeader(): number {
    const b = this.u8();
    if (b >= 0x80 && b <= 0x8f) return b & 0x0f;
    if (b === 0xde) return this.u16();
    if (b === 0xdf) return this.u32();
    throw BAIL;
  }

  /** A str's byte range; anything else leaves the fast path. */
  private strRange(): number {
    const b = this.u8();
    let n: number;
    if (b >= 0xa0 && b <= 0xbf) n = b & 0x1f;
    else if (b === 0xd9) n = this.u8();
    else if (b === 0xda) n = this.u16();
    else if (b === 0xdb) n = this.u32();
    else throw BAIL;
    if (this.pos + n > this.buf.length) throw BAIL;
    return n;
  }

  // ---- payload shape ----

  traces(): void {
    this.list(0, () => this.list(1, () => this.span()));
  }

  private list(depth: number, item: () => void): void {
    const n = this.arrayHeader();
    if (n > this.buf.length - this.pos) throw BAIL;
    if (n === 0) return this.text("[]");
    this.byte(0x5b);
    for (let i = 0; i < n; i++) {
      this.newline(depth + 1, i > 0 ? 0x2c : 0);
      item();
    }
    this.newline(depth);
    this.byte(0x5d);
  }

  private span(): void {
    this.map(2, SPAN);
  }

  /** The value of one map entry, given its key and what the map is. */
  private entry(kind: number, depth: number, keyStart: number, keyLength: number): void {
    const buf = this.buf;
    if (kind === SPAN) {
      if (keyLength >= 7 && keyLength <= 9) {
        for (const id of ID_KEYS) if (id.length === keyLength && startsWith(buf, keyStart, id)) return this.unsignedId(depth);
      }
      if (this.expandMeta) {
        if (keyLength === 4 && startsWith(buf, keyStart, META)) {
          // Span meta: the keys the reference expands leave the fast path (rare: AppSec, IAST).
          const b = buf[this.pos];
          if (!((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf)) throw BAIL;
          return this.map(depth, SPAN_META);
        }
        if (keyLength === 10 && startsWith(buf, keyStart, META_STRUCT)) throw BAIL;
      }
    } else if (kind === SPAN_META && keyLength >= 13 && buf[keyStart] === 0x5f) {
      if (startsWith(buf, keyStart, APPSEC_S)) throw BAIL;
      for (const k of JSON_META) if (k.length === keyLength && startsWith(buf, keyStart, k)) throw BAIL;
    }
    this.value(depth);
  }

  /**
   * A map with str keys, each written and then its value by `entry`. Keys that repeat (Python
   * keeps the last value at the first place) or that a JavaScript object would move to the
   * front (integer-like) leave the fast path, so that the output stays the tree path's.
   */
  private map(depth: number, kind: number): void {
    const n = this.mapHeader();
    if (2 * n > this.buf.length - this.pos) throw BAIL;
    if (n === 0) return this.text("{}");
    if (depth > MAX_DEPTH) throw BAIL;
    // This map's keys go on the key stack from `base` (typed arrays, reused: a map per span
    // must not allocate; emptying a JS array by its length frees its storage).
    const base = this.keyTop;
    const seen = n > 16 ? new Set<string>() : undefined;
    this.byte(0x7b);
    for (let i = 0; i < n; i++) {
      const length = this.strRange();
      const start = this.pos;
      this.checkKey(start, length, base, seen);
      this.newline(depth + 1, i > 0 ? 0x2c : 0);
      this.string(start, length, true);
      this.pos = start + length;
      this.entry(kind, depth + 1, start, length);
    }
    this.keyTop = base;
    this.newline(depth);
    this.byte(0x7d);
  }

  /** Leaves the fast path for a key that repeats one of this map's (those from `base` on the key stack), or that is integer-like. */
  private checkKey(start: number, length: number, base: number, seen: Set<string> | undefined): void {
    const buf = this.buf;
    // An array index ("0", "42"): a JS object lists it first, whatever the wire order.
    if (length > 0 && length <= 10 && (length === 1 || buf[start] !== 0x30)) {
      let digits = true;
      for (let i = start; i < start + length; i++)
        if (buf[i] < 0x30 || buf[i] > 0x39) {
          digits = false;
          break;
        }
      if (digits) throw BAIL;
    }
    if (seen) {
      const key = buf.toString("latin1", start, start + length);
      if (seen.has(key)) throw BAIL;
      seen.add(key);
      return;
    }
    const starts = this.keyStarts;
    const lengths = this.keyLengths;
    const top = this.keyTop;
    for (let k = base; k < top; k++) {
      if (lengths[k] !== length) continue;
      const other = starts[k];
      let same = true;
      for (let i = 0; i < length; i++)
        if (buf[other + i] !== buf[start + i]) {
          same = false;
          break;
        }
      if (same) throw BAIL;
    }
    if (top === starts.length) {
      this.keyStarts = grow(starts);
      this.keyLengths = grow(lengths);
    }
    this.keyStarts[top] = start;
    this.keyLengths[top] = length;
    this.keyTop = top + 1;
  }

  /** A str as JSON text (a key: followed by ": "): printable ASCII copied as is; anything else escaped as the writer does. */
  private string(start: number, length: number, key = false): void {
    const buf = this.buf;
    const end = start + length;
    this.room(length + 4);
    const out = this.out;
    // Copy while checking, in one pass (locals: the loop is the hot spot of the whole renderer).
    let at = this.at;
    out[at++] = 0x22;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        // Node's UTF-8 decoder replaces invalid sequences as Python's "replace" does (the tree path's rule).
        const quoted = JSON.stringify(buf.toString("utf8", start, end));
        this.text(quoted.replace(NON_ASCII, hex4));
        if (key) this.text(": ");
        return;
      }
      out[at++] = c;
    }
    out[at++] = 0x22;
    if (key) (out[at++] = 0x3a), (out[at++] = 0x20);
    this.at = at;
  }

  /**
   * The decimal digits of the unsigned 64-bit integer hi·2^32 + lo, written in place without
   * BigInt or strings (span ids are most of a payload's numbers): long division of four 16-bit
   * limbs by 10^4, every intermediate exact in a double; the groups come out last first.
   */
  private u64(hi: number, lo: number): void {
    if (hi < 0x200000) return this.digits(hi * TWO_32 + lo);
    let a = hi >>> 16;
    let b = hi & 0xffff;
    let c = lo >>> 16;
    let d = lo & 0xffff;
    const groups = GROUPS;
    let n = 0;
    while (a !== 0 || b !== 0 || c !== 0 || d !== 0) {
      let r = a % 10000;
      a = (a - r) / 10000;
      let x = r * 65536 + b;
      r = x % 10000;
      b = (x - r) / 10000;
      x = r * 65536 + c;
      r = x % 10000;
      c = (x - r) / 10000;
      x = r * 65536 + d;
      r = x % 10000;
      d = (x - r) / 10000;
      groups[n++] = r;
    }
    this.room(4 * n);
    const out = this.out;
    let at = this.at;
    // The leading group without its zeros, every other one with all four digits.
    const lead = groups[n - 1];
    if (lead >= 1000) out[at++] = 0x30 + Math.floor(lead / 1000);
    if (lead >= 100) out[at++] = 0x30 + (Math.floor(lead / 100) % 10);
    if (lead >= 10) out[at++] = 0x30 + (Math.floor(lead / 10) % 10);
    out[at++] = 0x30 + (lead % 10);
    for (let k = n - 2; k >= 0; k--) {
      const g = groups[k];
      out[at++] = 0x30 + Math.floor(g / 1000);
      out[at++] = 0x30 + (Math.floor(g / 100) % 10);
      out[at++] = 0x30 + (Math.floor(g / 10) % 10);
      out[at++] = 0x30 + (g % 10);
    }
    this.at = at;
  }

  /** A safe integer's decimal digits, written without making a string for the common sizes. */
  private digits(v: number): void {
    if (v < 0 || v > Number.MAX_SAFE_INTEGER) return this.text(String(v));
    let n = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) n++;
    this.room(n);
    const out = this.out;
    let at = this.at + n;
    this.at = at;
    for (let x = v; ; ) {
      const q = Math.floor(x / 10);
      out[--at] = 0x30 + (x - q * 10);
      if (q === 0) break;
      x = q;
    }
  }

  /** trace_id / span_id / parent_id: a negative int is the unsigned id sent as int64. */
  private unsignedId(depth: number): void {
    const b = this.buf[this.pos];
    if (b === 0xd3) {
      // The same 64 bits read as unsigned.
      this.pos++;
      const hi = this.buf.readUInt32BE(this.pos);
      const lo = this.buf.readUInt32BE(this.pos + 4);
      this.pos += 8;
      return this.u64(hi, lo);
    }
    if (b >= 0xe0 || (b >= 0xd0 && b <= 0xd2)) {
      const v = this.int(this.u8());
      return this.text(v < 0 ? (BigInt(v) + TWO_64).toString() : String(v));
    }
    this.value(depth);
  }

  /** A signed or unsigned int of up to 32 bits, from its type byte. */
  private int(b: number): number {
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xd0: {
        const v = this.u8();
        return v > 0x7f ? v - 0x100 : v;
      }
      case 0xd1: {
        const v = this.u16();
        return v > 0x7fff ? v - 0x10000 : v;
      }
      case 0xd2: {
        const v = this.u32();
        return v > 0x7fffffff ? v - TWO_32 : v;
      }
    }
    throw BAIL;
  }

  private value(depth: number): void {
    const b = this.buf[this.pos];
    if (b === undefined) throw BAIL;
    if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xce) || (b >= 0xd0 && b <= 0xd2)) {
      this.pos++;
      const v = this.int(b);
      if (v >= 0 && v < 10) return this.byte(0x30 + v);
      return this.digits(v);
    }
    if ((b >= 0xa0 && b <= 0xbf) || (b >= 0xd9 && b <= 0xdb)) {
      const length = this.strRange();
      const start = this.pos;
      this.string(start, length);
      this.pos = start + length;
      return;
    }
    if ((b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd) {
      if (depth > MAX_DEPTH) throw BAIL;
      return this.list(depth, () => this.value(depth + 1));
    }
    if ((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf) return this.map(depth, PLAIN);
    this.pos++;
    switch (b) {
      case 0xc0:
        return this.text("null");
      case 0xc2:
        return this.text("false");
      case 0xc3:
        return this.text("true");
      case 0xcf: {
        const hi = this.buf.readUInt32BE(this.pos);
        const lo = this.buf.readUInt32BE(this.pos + 4);
        this.pos += 8;
        return this.u64(hi, lo);
      }
      case 0xd3: {
        const hi = this.buf.readInt32BE(this.pos);
        const text = hi >= -0x200000 && hi < 0x200000 ? String(hi * TWO_32 + this.buf.readUInt32BE(this.pos + 4)) : this.buf.readBigInt64BE(this.pos).toString();
        this.pos += 8;
        return this.text(text);
      }
      case 0xca: {
        const v = this.buf.readFloatBE(this.pos);
        this.pos += 4;
        return this.text(float(v));
      }
      case 0xcb: {
        const v = this.buf.readDoubleBE(this.pos);
        this.pos += 8;
        return this.text(float(v));
      }
    }
    // bin, ext (bytes values need the tree path's rendering), 0xc1.
    throw BAIL;
  }
}

function grow(a: Int32Array): Int32Array {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** A msgpack float as the writer prints it: whole ones as Python floats ("1.0"), the rest by repr. */
function float(v: number): string {
  if (Number.isInteger(v)) return pythonFloatRepr(v);
  return Number.isFinite(v) && Math.abs(v) >= 1e-4 ? String(v) : pythonNumber(v);
}
