import { isUtf8 } from "node:buffer";
import { PayloadError } from "../../errors.js";

/** A body that is not the message it should be (the reference's google.protobuf DecodeError). */
export class DecodeError extends PayloadError {
  readonly code: string = "PAYLOAD_PROTOBUF";
  override name = "DecodeError";
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;

/**
 * Reads protobuf wire primitives from a Buffer with the strictness of the reference's
 * pure-Python decoder: a value that crosses the end of its message, a varint longer than
 * 10 bytes, or a string that is not UTF-8 is an error, never silently patched.
 */
export class WireReader {
  pos = 0;
  /** Low and high 32 bits (unsigned) of the last 64-bit varint or fixed64 read. */
  lo = 0;
  hi = 0;

  constructor(readonly buf: Buffer) {}

  /** Reads a varint into lo/hi; it must end before `end`. */
  varint(end: number): void {
    const buf = this.buf;
    let p = this.pos;
    if (p < end) {
      const b = buf[p];
      if (b < 0x80) {
        this.lo = b;
        this.hi = 0;
        this.pos = p + 1;
        return;
      }
    }
    let lo = 0;
    let hi = 0;
    for (let n = 0; ; n++) {
      if (p >= end) throw new DecodeError("Truncated message.");
      const b = buf[p++];
      if (n < 4) lo |= (b & 0x7f) << (7 * n);
      else if (n === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * n - 32);
      if (b < 0x80) break;
      if (n === 9) throw new DecodeError("Too many bytes when decoding varint.");
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = p;
  }

  /** A length prefix: the end of the bytes it announces, which must not pass `end`. */
  lengthEnd(end: number): number {
    this.varint(end);
    const stop = this.pos + this.lo;
    if (this.hi !== 0 || stop > end) throw new DecodeError("Truncated message.");
    return stop;
  }

  fixed32(end: number): number {
    const p = this.pos;
    if (p + 4 > end) throw new DecodeError("Truncated message.");
    this.pos = p + 4;
    return this.buf.readUInt32LE(p);
  }

  /** Reads 8 bytes into lo/hi. */
  fixed64(end: number): void {
    const p = this.pos;
    if (p + 8 > end) throw new DecodeError("Truncated message.");
    this.lo = this.buf.readUInt32LE(p);
    this.hi = this.buf.readUInt32LE(p + 4);
    this.pos = p + 8;
  }

  float(end: number): number {
    const p = this.pos;
    if (p + 4 > end) throw new DecodeError("Truncated message.");
    this.pos = p + 4;
    return this.buf.readFloatLE(p);
  }

  double(end: number): number {
    const p = this.pos;
    if (p + 8 > end) throw new DecodeError("Truncated message.");
    this.pos = p + 8;
    return this.buf.readDoubleLE(p);
  }

  /** A UTF-8 string from start to stop (Python's str(bytes, "utf-8"): strict, BOM kept). */
  utf8(start: number, stop: number): string {
    const buf = this.buf;
    let ascii = true;
    for (let i = start; i < stop; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return buf.toString("latin1", start, stop);
    const bytes = buf.subarray(start, stop);
    if (!isUtf8(bytes)) throw new DecodeError("'utf-8' codec can't decode bytes: invalid UTF-8 in a string field");
    return buf.toString("utf8", start, stop);
  }

  /** Skips the value of an unknown field whose tag has just been read. */
  skip(wireType: number, end: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint(end);
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > end) throw new DecodeError("Truncated message.");
        this.pos += 8;
        return;
      case WIRE_LENGTH:
        this.pos = this.lengthEnd(end);
        return;
      case WIRE_START_GROUP:
        // An unknown group ends at the next end-group tag at its own nesting level.
        for (;;) {
          this.varint(end);
          const tag = this.lo + this.hi * TWO_32;
          const wt = tag % 8;
          if (wt === WIRE_END_GROUP) return;
          this.skip(wt, end);
        }
      case WIRE_FIXED32:
        if (this.pos + 4 > end) throw new DecodeError("Truncated message.");
        this.pos += 4;
        return;
      case WIRE_END_GROUP:
        throw new DecodeError("Unexpected end-group tag.");
      default:
        throw new DecodeError("Wrong wire type in tag.");
    }
  }
}

/** Unsigned 64-bit value of lo/hi as decimal digits (exact). */
export function uint64String(lo: number, hi: number): string {
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Signed (two's complement) 64-bit value of lo/hi as decimal digits (exact). */
export function int64String(lo: number, hi: number): string {
  if (hi < 0x80000000) return uint64String(lo, hi);
  // Negative: magnitude is the two's complement.
  const nlo = (~lo + 1) >>> 0;
  const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
  return "-" + uint64String(nlo, nhi);
}

/** ZigZag-decoded 64-bit value of lo/hi as decimal digits (exact). */
export function sint64String(lo: number, hi: number): string {
  // value = (n >>> 1) ^ -(n & 1), done on the two halves.
  const negative = (lo & 1) === 1;
  let mlo = ((lo >>> 1) | (hi << 31)) >>> 0;
  let mhi = hi >>> 1;
  if (!negative) return uint64String(mlo, mhi);
  // -(m + 1) for the odd case: magnitude m + 1.
  mlo = (mlo + 1) >>> 0;
  if (mlo === 0) mhi = (mhi + 1) >>> 0;
  return "-" + uint64String(mlo, mhi);
}
