// MessageToDict semantics on hand-built wire bytes (written with protobufjs's Writer or by
// hand); expected values are derived from the protobuf encoding and from how the reference's
// Python protobuf renders them, not from this decoder.
import { test } from "node:test";
import assert from "node:assert/strict";
import protobuf from "protobufjs";
import { LayoutCompiler } from "../../../src/decode/protobuf/layout.js";
import { messageToDict } from "../../../src/decode/protobuf/message-to-dict.js";
import { DecodeError } from "../../../src/decode/protobuf/wire.js";

const SCHEMA = `
syntax = "proto3";
package t;
enum Color { RED = 0; GREEN = 1; }
message Inner { int32 a = 1; repeated string tags = 2; }
message All {
  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;
  sint32 s32 = 7; sint64 s64 = 8; fixed32 f32 = 9; fixed64 f64 = 10; sfixed32 sf32 = 11; sfixed64 sf64 = 12;
  bool b = 13; string s = 14; bytes by = 15; Color color = 16; Inner inner = 17;
  repeated int64 r_i64 = 18; repeated Inner r_inner = 19;
  map<string, int64> m = 20; map<int32, Inner> mi = 21; map<bool, Color> mb = 22;
  oneof choice { string c_str = 23; Inner c_msg = 24; int32 c_int = 25; }
  optional int32 opt = 26;
  repeated float r_f = 27;
  string snake_case_name = 28;
}
`;
const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
root.resolveAll();
const ALL = new LayoutCompiler().layoutOf(root.lookupType("t.All"));

const W = () => protobuf.Writer.create();
/** A tag: field number and wire type. */
const tag = (w: protobuf.Writer, n: number, wt: number) => w.uint32(n * 8 + wt);
const decode = (bytes: Uint8Array, enumsAsIntegers = false) => messageToDict(ALL, Buffer.from(bytes), { enumsAsIntegers });

test("proto3 defaults are omitted, also when present on the wire", () => {
  const w = W();
  tag(w, 1, 1).double(0);
  tag(w, 3, 0).int32(0);
  tag(w, 13, 0).bool(false);
  tag(w, 14, 2).string("");
  tag(w, 15, 2).bytes(new Uint8Array());
  tag(w, 16, 0).int32(0);
  tag(w, 2, 5).float(-0);
  assert.deepEqual(decode(w.finish()), {});
});

test("a later default value removes an earlier one (last value wins)", () => {
  const w = W();
  tag(w, 3, 0).int32(5);
  tag(w, 3, 0).int32(0);
  tag(w, 14, 2).string("a");
  tag(w, 14, 2).string("b");
  assert.deepEqual(decode(w.finish()), { s: "b" });
});

test("64-bit integers are exact decimal strings; 32-bit ones numbers", () => {
  const w = W();
  tag(w, 4, 0).int64("-1"); // ten-byte varint
  tag(w, 6, 0).uint64("18446744073709551615");
  tag(w, 8, 0).sint64("-9223372036854775808");
  tag(w, 10, 1).fixed64("9223372036854775808");
  tag(w, 12, 1).sfixed64("-2");
  tag(w, 3, 0).int32(-1);
  tag(w, 5, 0).uint32(4294967295);
  tag(w, 7, 0).sint32(-3);
  tag(w, 9, 5).fixed32(4294967295);
  tag(w, 11, 5).sfixed32(-7);
  assert.deepEqual(decode(w.finish()), {
    i64: "-1",
    u64: "18446744073709551615",
    s64: "-9223372036854775808",
    f64: "9223372036854775808",
    sf64: "-2",
    i32: -1,
    u32: 4294967295,
    s32: -3,
    f32: 4294967295,
    sf32: -7,
  });
});

test("int32 keeps the low 32 bits of a longer varint, as Python does", () => {
  // 2^32 + 5 as a varint: 0x85 0x80 0x80 0x80 0x10
  assert.deepEqual(decode(Buffer.from([0x18, 0x85, 0x80, 0x80, 0x80, 0x10])), { i32: 5 });
});

test("floats: float32 in Python's shortest form, non-finite values as strings", () => {
  const w = W();
  tag(w, 2, 5).float(0.1); // float32 0.100000001490116...: '%.6g' gives 0.1, which reads back the same
  tag(w, 1, 1).double(-Infinity);
  tag(w, 27, 2).fork().float(1234567.25).float(NaN).float(Infinity).float(0.5).ldelim();
  // 1234567.25: 7 digits give 1234567 (another float32); 8 digits tie at 1234567.2|5 and
  // '%g' rounds half to even: 1234567.2, whose nearest float32 is 1234567.25 again.
  assert.deepEqual(decode(w.finish()), { f: 0.1, d: "-Infinity", rF: [1234567.2, "NaN", "Infinity", 0.5] });
});

test("bytes in base64, strings as text, JSON names in lowerCamelCase", () => {
  const w = W();
  tag(w, 15, 2).bytes(Uint8Array.from([0, 255, 1]));
  tag(w, 28, 2).string("café ☕");
  assert.deepEqual(decode(w.finish()), { by: "AP8B", snakeCaseName: "café ☕" });
  // Python's MessageToDict uses base64.b64encode: the standard alphabet (+ and /) with padding,
  // which base64url (- and _, no padding) would write as "-_-_Pw".
  const both = W();
  tag(both, 15, 2).bytes(Uint8Array.from([0xfb, 0xff, 0xbf, 0x3f]));
  assert.deepEqual(decode(both.finish()), { by: "+/+/Pw==" });
});

test("enums by name, unknown numbers as integers, all as integers on request", () => {
  const w = W();
  tag(w, 16, 0).int32(1);
  assert.deepEqual(decode(w.finish()), { color: "GREEN" });
  assert.deepEqual(decode(w.finish(), true), { color: 1 });
  const unknown = W();
  tag(unknown, 16, 0).int32(7);
  assert.deepEqual(decode(unknown.finish()), { color: 7 });
});

test("repeated scalars accept packed and unpacked runs, in wire order", () => {
  const w = W();
  tag(w, 18, 2).fork().int64(1).int64(2).ldelim();
  tag(w, 18, 0).int64(3);
  tag(w, 18, 2).fork().ldelim(); // an empty packed run adds nothing
  assert.deepEqual(decode(w.finish()), { rI64: ["1", "2", "3"] });
});

test("a message field seen twice is merged; an empty one is present", () => {
  const w = W();
  tag(w, 17, 2).fork().uint32(8).int32(1).ldelim();
  tag(w, 17, 2).fork().uint32(18).string("x").ldelim();
  tag(w, 19, 2).fork().ldelim();
  assert.deepEqual(decode(w.finish()), { inner: { a: 1, tags: ["x"] }, rInner: [{}] });
});

test("oneof members replace each other and keep default values; proto3 optional too", () => {
  const w = W();
  tag(w, 23, 2).string("x");
  tag(w, 25, 0).int32(0);
  tag(w, 26, 0).int32(0);
  assert.deepEqual(decode(w.finish()), { cInt: 0, opt: 0 });
});

test("maps: keys as strings, the last entry for a key wins, missing halves are defaults", () => {
  const w = W();
  tag(w, 20, 2).fork().uint32(10).string("k").uint32(16).int64(1).ldelim();
  tag(w, 20, 2).fork().uint32(10).string("k").uint32(16).int64(2).ldelim();
  tag(w, 20, 2).fork().uint32(10).string("no-value").ldelim();
  tag(w, 20, 2).fork().uint32(10).string("__proto__").uint32(16).int64(4).ldelim();
  tag(w, 21, 2).fork().uint32(8).int32(5).ldelim();
  tag(w, 22, 2).fork().uint32(8).bool(true).ldelim();
  tag(w, 22, 2).fork().uint32(16).int32(1).ldelim();
  const out = decode(w.finish()) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.entries(out.m), [["k", "2"], ["no-value", "0"], ["__proto__", "4"]]);
  assert.deepEqual(out.mi, { "5": {} });
  assert.deepEqual(out.mb, { true: "RED", false: "GREEN" });
});

test("unknown fields of every wire type are skipped, and so is a known number with another wire type", () => {
  const w = W();
  tag(w, 99, 0).uint64("18446744073709551615");
  tag(w, 99, 1).fixed64(1);
  tag(w, 99, 2).string("zz");
  tag(w, 99, 3);
  tag(w, 1, 0).uint32(1); // inside the group
  tag(w, 99, 4);
  tag(w, 99, 5).fixed32(1);
  tag(w, 14, 0).uint32(3); // s is a string: a varint there is an unknown field
  tag(w, 3, 0).int32(9);
  assert.deepEqual(decode(w.finish()), { i32: 9 });
});

test("a known tag in a non-minimal encoding is an unknown field (Python matches tag bytes)", () => {
  // field 3 varint is 0x18; 0x98 0x00 encodes the same number in two bytes
  assert.deepEqual(decode(Buffer.from([0x98, 0x00, 0x05])), {});
});

test("malformed bodies throw DecodeError", () => {
  const cases: [string, number[]][] = [
    ["truncated length", [0x72, 0x05, 0x61]],
    ["truncated varint", [0x18, 0x80]],
    ["varint longer than 10 bytes", [0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ["truncated fixed64", [0x51, 0x01, 0x02]],
    ["wire type 7", [0x67]],
    ["end-group tag at top level", [0x3c]],
    ["field number 0", [0x00, 0x01]],
    ["invalid UTF-8 in a string", [0x72, 0x02, 0xc3, 0x28]],
    ["UTF-8 encoded surrogate", [0x72, 0x03, 0xed, 0xa0, 0x80]],
    ["packed element crossing the run's end", [0x92, 0x01, 0x01, 0x80]],
    ["nested message crossing its parent", [0x8a, 0x01, 0x02, 0x08]],
  ];
  for (const [what, bytes] of cases) assert.throws(() => decode(Buffer.from(bytes)), DecodeError, what);
});

test("a UTF-8 BOM inside a string is kept", () => {
  assert.deepEqual(decode(Buffer.from([0x72, 0x04, 0xef, 0xbb, 0xbf, 0x61])), { s: "\ufeffa" });
});
