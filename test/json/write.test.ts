// Expected strings below were produced by CPython 3.11's json.dumps(..., indent=2) and repr(),
// the reference proxy's own writer: an independent oracle, not this code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pythonNumber, writePythonJson, writePythonJsonBytes } from "../../src/json/write.js";
import { bytesRepr as pythonBytesRepr } from "../../src/decode/python-repr.js";
import { parseJson } from "../../src/json/parse.js";
import { PyFloat, rawJson } from "../../src/json/value.js";

test("writes what Python's json.dump(indent=2) writes", () => {
  const value = {
    a: [1, 2.5, "é\u2028😀", '\x7f\x01"\\'],
    b: {},
    c: [],
    d: null,
    e: true,
    n: 18446744073709551615n,
    f: [1e-5, 1e16, 0.0001, 1.5e300, -2.5e-7, 123.456, NaN, Infinity, -Infinity],
  };
  const python =
    '{\n  "a": [\n    1,\n    2.5,\n    "\\u00e9\\u2028\\ud83d\\ude00",\n    "\\u007f\\u0001\\"\\\\"\n  ],\n  "b": {},\n  "c": [],\n  "d": null,\n  "e": true,\n  "n": 18446744073709551615,\n  "f": [\n    1e-05,\n    1e+16,\n    0.0001,\n    1.5e+300,\n    -2.5e-07,\n    123.456,\n    NaN,\n    Infinity,\n    -Infinity\n  ]\n}';
  assert.equal(writePythonJson(value), python);
});

test("numbers: ints stay ints, floats in Python's repr form", () => {
  assert.equal(pythonNumber(0), "0");
  assert.equal(pythonNumber(-42), "-42");
  assert.equal(pythonNumber(9007199254740991), "9007199254740991");
  assert.equal(pythonNumber(0.1), "0.1");
  assert.equal(pythonNumber(1e21), "1e+21");
  assert.equal(pythonNumber(1.25e-10), "1.25e-10");
  // The bounds of Python's plain form: 1e-4 and 1e16 (exclusive), each side.
  assert.equal(pythonNumber(0.0001), "0.0001");
  assert.equal(pythonNumber(0.00012345), "0.00012345");
  assert.equal(pythonNumber(0.00009999), "9.999e-05");
  assert.equal(pythonNumber(1234567890123456.7), "1234567890123456.8");
  assert.equal(pythonNumber(12345678901234567.5), "1.2345678901234568e+16");
  assert.equal(pythonNumber(5e-324), "5e-324");
});

test("undefined (a hole in data built in JavaScript) is written as null, as JSON.stringify writes it in a list", () => {
  assert.equal(writePythonJson(undefined as never), "null");
  assert.equal(writePythonJson(undefined as never, 0), "null");
  assert.equal(writePythonJson([undefined] as never, 0), "[null]");
  assert.equal(writePythonJson([undefined] as never), "[\n  null\n]");
});

test("whole floats (PyFloat) are written as Python writes floats (values from CPython's repr)", () => {
  assert.equal(writePythonJson([new PyFloat(1), new PyFloat(-0), new PyFloat(1e16), new PyFloat(123456789), 1, 0.5] as never), "[\n  1.0,\n  -0.0,\n  1e+16,\n  123456789.0,\n  1,\n  0.5\n]");
  assert.equal(writePythonJson({ a: new PyFloat(2) } as never, 0), '{"a": 2.0}');
});

test("bytes as Python's repr", () => {
  assert.equal(pythonBytesRepr(Buffer.from([0, 39, 34, 92, 10, 9, 13, 65, 255])), "b'\\x00\\'\"\\\\\\n\\t\\rA\\xff'");
  assert.equal(pythonBytesRepr(Buffer.from("it's")), 'b"it\'s"');
  assert.equal(pythonBytesRepr(Buffer.from("both'\"")), "b'both\\'\"'");
  assert.equal(pythonBytesRepr(Buffer.alloc(0)), "b''");
});

test("parseJson keeps integers beyond 2^53 exact and round-trips through the writer", () => {
  const text = '{"trace_id": 18446744073709551615, "small": 12, "neg": -9223372036854775808, "f": 1.5}';
  const v = parseJson(text) as Record<string, unknown>;
  assert.equal(v.trace_id, 18446744073709551615n);
  assert.equal(v.small, 12);
  assert.equal(v.neg, -9223372036854775808n);
  assert.equal(v.f, 1.5);
  assert.equal(writePythonJson(v as never, 0), text);
  assert.throws(() => parseJson("{oops"), SyntaxError);
});

test("parseJson keeps Python's types: whole float tokens stay floats, strings and duplicates as json.loads has them", () => {
  const v = parseJson('{"a": 1.0, "b": -0.0, "c": 1e3, "d": 1.5, "e": 7, "s": "v1.0 \\" 12345678901234567890 \\\\", "a": 2.00}') as Record<string, unknown>;
  assert.deepEqual(v.a, new PyFloat(2), "the last duplicate wins, and 2.00 is a float");
  assert.ok(v.b instanceof PyFloat && Object.is(v.b.value, -0));
  assert.deepEqual(v.c, new PyFloat(1000));
  assert.equal(v.d, 1.5);
  assert.equal(v.e, 7);
  assert.equal(v.s, 'v1.0 " 12345678901234567890 \\', "numbers inside strings are left alone");
  // Duplicate keys with a big integer (the old lossless parser refused duplicates; Python does not).
  assert.deepEqual(parseJson('{"id": 1, "id": 18446744073709551615}'), { id: 18446744073709551615n });
  // What JSON refuses stays refused.
  assert.throws(() => parseJson("[01.0]"), SyntaxError);
  assert.throws(() => parseJson('{"a": 1.0'), SyntaxError);
  assert.equal(writePythonJson(parseJson('[1.0, 1, 1.25, 100000000000000000000.0]'), 0), "[1.0, 1, 1.25, 1e+20]");
});

test("pre-rendered JSON (RawJson) goes into the indented form byte for byte, and has no compact form", () => {
  const raw = rawJson(Buffer.from('{"a": [1.0, "\\u00e9"]}', "latin1"));
  assert.equal(writePythonJson({ x: raw, y: 1 } as never), '{\n  "x": {"a": [1.0, "\\u00e9"]},\n  "y": 1\n}');
  assert.deepEqual(writePythonJsonBytes([raw] as never), Buffer.from('[\n  {"a": [1.0, "\\u00e9"]}\n]', "latin1"));
  assert.throws(() => writePythonJson({ x: raw } as never, 0), { name: "TypeError", message: "pre-rendered JSON text has no compact form" });
});
