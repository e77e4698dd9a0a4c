// A small MessagePack writer for tests, straight from the specification, for what
// @msgpack/msgpack will not write: maps with integer (or any) keys, given as Map.
// Numbers: integers use the smallest int type, other numbers float64; bigint int64/uint64.

export function packValue(v: unknown): Buffer {
  const out: Buffer[] = [];
  write(v, out);
  return Buffer.concat(out);
}

const byte = (...b: number[]) => Buffer.from(b);

function write(v: unknown, out: Buffer[]): void {
  if (v === null || v === undefined) out.push(byte(0xc0));
  else if (v === false) out.push(byte(0xc2));
  else if (v === true) out.push(byte(0xc3));
  else if (typeof v === "bigint") {
    const b = Buffer.alloc(9);
    if (v < 0n) {
      b[0] = 0xd3;
      b.writeBigInt64BE(v, 1);
    } else {
      b[0] = 0xcf;
      b.writeBigUInt64BE(v, 1);
    }
    out.push(b);
  } else if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 0 && v < 0x80) out.push(byte(v));
    else if (Number.isInteger(v) && v < 0 && v >= -32) out.push(byte(0x100 + v));
    else if (Number.isInteger(v) && Math.abs(v) < 2 ** 31) {
      const b = Buffer.alloc(5);
      b[0] = 0xd2;
      b.writeInt32BE(v, 1);
      out.push(b);
    } else {
      const b = Buffer.alloc(9);
      b[0] = 0xcb;
      b.writeDoubleBE(v, 1);
      out.push(b);
    }
  } else if (typeof v === "string") {
    const s = Buffer.from(v, "utf8");
    out.push(s.length < 32 ? byte(0xa0 | s.length) : byte(0xdb, ...u32(s.length)), s);
  } else if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
    out.push(byte(0xc6, ...u32(v.length)), Buffer.from(v));
  } else if (Array.isArray(v)) {
    out.push(byte(0xdd, ...u32(v.length)));
    for (const item of v) write(item, out);
  } else if (v instanceof Map) {
    out.push(byte(0xdf, ...u32(v.size)));
    for (const [k, item] of v) {
      write(k, out);
      write(item, out);
    }
  } else if (typeof v === "object") {
    const entries = Object.entries(v as object);
    out.push(byte(0xdf, ...u32(entries.length)));
    for (const [k, item] of entries) {
      write(k, out);
      write(item, out);
    }
  } else throw new Error(`cannot pack ${typeof v}`);
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
