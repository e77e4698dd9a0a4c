// The msgpack decoder on payloads written byte by byte from the MessagePack specification,
// expected values derived by hand (and by BigInt arithmetic for 64-bit ones).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ExtType, MsgpackError, unpack, unpackPython } from "../../src/decode/msgpack.js";
import { PyFloat } from "../../src/json/value.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const str = (s: string) => {
  const bytes = Buffer.from(s, "utf8");
  assert.ok(bytes.length < 32);
  return Buffer.concat([Buffer.from([0xa0 | bytes.length]), bytes]);
};
const value = (data: Buffer) => unpack(data).value;

test("uint64 and int64 keep every bit: bigint beyond 2^53, number below", () => {
  assert.equal(value(hex("cf ffffffffffffffff")), (1n << 64n) - 1n);
  assert.equal(value(hex("cf 8000000000000000")), 1n << 63n);
  assert.equal(value(hex("cf 0020000000000001")), (1n << 53n) + 1n);
  assert.equal(value(hex("cf 001fffffffffffff")), 2 ** 53 - 1);
  assert.equal(value(hex("d3 ffffffffffffffff")), -1);
  assert.equal(value(hex("d3 8000000000000000")), -(1n << 63n));
  assert.equal(value(hex("d3 ffe0000000000000")), -(2 ** 53));
  assert.equal(value(hex("d3 ffdfffffffffffff")), -(1n << 53n) - 1n);
});

test("small integer and float encodings", () => {
  assert.equal(value(hex("7f")), 127);
  assert.equal(value(hex("e0")), -32);
  assert.equal(value(hex("d0 80")), -128);
  assert.equal(value(hex("d1 8000")), -32768);
  assert.equal(value(hex("d2 80000000")), -2147483648);
  assert.equal(value(hex("ce ffffffff")), 4294967295);
  // A float holding a whole number stays a float (Python writes 1.0): boxed, unlike the int 1.
  assert.deepEqual(value(hex("ca 3f800000")), new PyFloat(1));
  assert.deepEqual(value(hex("cb 4059000000000000")), new PyFloat(100));
  // float32 0.1 is 0x3dcccccd, whose exact value as a double is 0.10000000149011612
  assert.equal(value(hex("ca 3dcccccd")), 0.10000000149011612);
  const negativeZero = value(hex("cb 8000000000000000"));
  assert.ok(negativeZero instanceof PyFloat && Object.is(negativeZero.value, -0));
  assert.ok(Number.isNaN(value(hex("cb 7ff8000000000000"))));
});

test("invalid UTF-8 in a str becomes U+FFFD, one per maximal invalid subsequence", () => {
  // c3 needs a continuation byte, "(" is not one; a0 and a1 are lone continuation bytes
  assert.equal(value(hex("a6 c3 28 a0 a1 41 42")), "\ufffd(\ufffd\ufffdAB");
  // a truncated 3-byte sequence (e2 82) is a single maximal subsequence
  assert.equal(value(hex("a3 e2 82 41")), "\ufffdA");
  // the same in a long string (another code path)
  const long = Buffer.concat([Buffer.alloc(40, 0x61), hex("ff")]);
  assert.equal(value(Buffer.concat([hex("d9 29"), long])), "a".repeat(40) + "\ufffd");
});

test("the same short bytes decode to the same text each time (cache), invalid ones included", () => {
  const payload = Buffer.concat([hex("93"), hex("a2 c3 28"), hex("a2 c3 28"), str("k")]);
  assert.deepEqual(value(payload), ["\ufffd(", "\ufffd(", "k"]);
});

test("a __proto__ key is an own property and the prototype is untouched", () => {
  const obj = value(Buffer.concat([hex("82"), str("__proto__"), hex("81"), str("polluted"), hex("c3"), str("a"), hex("01")])) as Record<string, unknown>;
  assert.deepEqual(Object.keys(obj), ["__proto__", "a"]);
  assert.equal(Object.getPrototypeOf(obj), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(obj, "__proto__")?.value, { polluted: true });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("map keys of other types are named as json.dump names them", () => {
  assert.deepEqual(value(hex("81 01 02")), { "1": 2 });
  assert.deepEqual(value(hex("81 ff 02")), { "-1": 2 });
  assert.deepEqual(value(hex("81 c0 02")), { null: 2 });
  assert.deepEqual(value(hex("82 c3 01 c2 02")), { true: 1, false: 2 });
  assert.deepEqual(value(hex("81 ca 3fc00000 02")), { "1.5": 2 });
  assert.deepEqual(value(hex("81 cb 3ff0000000000000 02")), { "1.0": 2 });
  assert.deepEqual(value(hex("81 cf ffffffffffffffff 02")), { "18446744073709551615": 2 });
});

test("keys json.dump cannot write, or Python cannot hash, are errors", () => {
  assert.throws(() => unpack(hex("81 c4 01 61 02")), MsgpackError); // bytes key
  assert.throws(() => unpack(hex("81 91 01 02")), MsgpackError); // list key
  assert.throws(() => unpack(hex("81 80 02")), MsgpackError); // dict key
});

test("bin is bytes (and reported), str is not", () => {
  const withBin = unpack(hex("92 c4 03 000102 a1 61"));
  assert.equal(withBin.sawBytes, true);
  assert.deepEqual(withBin.value, [Buffer.from([0, 1, 2]), "a"]);
  assert.ok(Buffer.isBuffer((withBin.value as unknown[])[0]));
  assert.equal(unpack(hex("91 a1 61")).sawBytes, false);
});

test("ext values keep their type code and data; a timestamp of a bad size fails", () => {
  const ext = value(hex("d5 07 abcd")) as ExtType;
  assert.ok(ext instanceof ExtType);
  assert.equal(ext.code, 7);
  assert.deepEqual(ext.data, hex("abcd"));
  assert.equal((value(hex("c7 01 fe 00")) as ExtType).code, -2);
  assert.equal((value(hex("d6 ff 00000001")) as ExtType).code, -1);
  assert.throws(() => unpack(hex("c7 03 ff 000000")), MsgpackError);
});

test("truncated input, extra bytes, the reserved byte and impossible sizes are errors", () => {
  assert.throws(() => unpack(hex("92 01")), /incomplete input/);
  assert.throws(() => unpack(hex("a5 6162")), /incomplete input/);
  assert.throws(() => unpack(hex("cf 0000")), /incomplete input/);
  assert.throws(() => unpack(hex("01 02")), /extra data/);
  assert.throws(() => unpack(hex("c1")), MsgpackError);
  assert.throws(() => unpack(hex("dd ffffffff")), /incomplete input/);
  assert.throws(() => unpack(hex("df ffffffff 01")), /incomplete input/);
  assert.throws(() => unpack(Buffer.alloc(0)), /incomplete input/);
});

test("nesting deeper than Python's unpacker allows is an error, not a crash", () => {
  assert.throws(() => unpack(Buffer.alloc(5000, 0x91)), MsgpackError);
});

test("unpackPython keeps Python's types: int as bigint, float as number, dict as Map in wire order", () => {
  const v = unpackPython(hex("83 03 a1 63 01 ca 3f800000 02 92 01 cb 4000000000000000")) as Map<unknown, unknown>;
  assert.ok(v instanceof Map);
  assert.deepEqual([...v.keys()], [3n, 1n, 2n]);
  assert.equal(v.get(3n), "c");
  assert.equal(v.get(1n), 1);
  assert.deepEqual(v.get(2n), [1n, 2]);
  assert.deepEqual(unpackPython(hex("81 c4 01 61 01")), new Map([[Buffer.from("a"), 1n]]));
  assert.throws(() => unpackPython(hex("81 91 01 02")), MsgpackError);
});
