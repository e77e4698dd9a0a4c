// Python's base64 decoding (binascii.a2b_base64, lenient and strict) and json.loads, on inputs
// whose outcome follows from Python's documentation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { a2bBase64, b64decode, Base64Error } from "../../src/decode/python-base64.js";
import { JsonTextError, loadsJson } from "../../src/decode/python-json.js";

const a2b = (s: string, strict = false) => a2bBase64(Buffer.from(s, "latin1"), strict).toString("latin1");

test("base64: well-formed input decodes in both modes", () => {
  assert.equal(a2b("aGVsbG8="), "hello");
  assert.equal(a2b("aGVsbG8=", true), "hello");
  assert.equal(a2b("aGk="), "hi");
  assert.equal(a2b(""), "");
});

test("base64, lenient: other characters are skipped, data after a complete pad is ignored", () => {
  assert.equal(a2b("aGVs\nbG8=\n"), "hello");
  assert.equal(a2b("aG!Vs bG8="), "hello");
  assert.equal(a2b("aGk=ignored"), "hi");
});

test("base64, lenient: missing padding or a lone extra character is an error", () => {
  assert.throws(() => a2b("aGk"), (e: Error) => e instanceof Base64Error && /Incorrect padding/.test(e.message));
  assert.throws(() => a2b("aGVsb"), /number of data characters \(5\) cannot be 1 more than a multiple of 4/);
});

test("base64, strict (validate=True): only the alphabet, no leading or misplaced padding", () => {
  assert.throws(() => a2b("aGVs\nbG8=", true), /Only base64 data is allowed/);
  assert.throws(() => a2b("{bad json", true), /Only base64 data is allowed/);
  assert.throws(() => a2b("=aGk", true), /Leading padding not allowed/);
  assert.throws(() => a2b("aGk=aGk=", true), /Excess data after padding/);
  assert.throws(() => a2b("aG=k", true), /Discontinuous padding not allowed/);
});

test("b64decode refuses a str that is not ASCII", () => {
  assert.throws(() => b64decode("aGk=é"), /only ASCII/);
  assert.equal(b64decode("aGk=").toString(), "hi");
});

test("json: integers stay exact, floats are floats", () => {
  assert.deepEqual(loadsJson('{"id": 18446744073709551615, "n": -5, "f": 0.5}'), { id: 18446744073709551615n, n: -5, f: 0.5 });
});

test("json: Python's NaN, Infinity and -Infinity are accepted outside strings only", () => {
  const v = loadsJson('{"a": NaN, "b": [Infinity, -Infinity], "s": "NaN Infinity"}') as { a: number; b: number[]; s: string };
  assert.ok(Number.isNaN(v.a));
  assert.deepEqual(v.b, [Infinity, -Infinity]);
  assert.equal(v.s, "NaN Infinity");
  assert.throws(() => loadsJson("[-NaN]"), SyntaxError);
  assert.throws(() => loadsJson("[nan]"), SyntaxError);
});

test("json of bytes: UTF-8 strictly, a UTF-8 BOM skipped, UTF-16 detected", () => {
  assert.deepEqual(loadsJson(Buffer.from('{"k": "é"}')), { k: "é" });
  assert.deepEqual(loadsJson(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from("[1]")])), [1]);
  assert.deepEqual(loadsJson(Buffer.from('["x"]', "utf16le")), ["x"]);
  assert.throws(() => loadsJson(Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d])), JsonTextError);
});

test("json of a str: a BOM is an error (as json.loads says), bad JSON a SyntaxError", () => {
  assert.throws(() => loadsJson("\ufeff[1]"), SyntaxError);
  assert.throws(() => loadsJson("{bad json"), SyntaxError);
});

test("json: a __proto__ key is kept as an own property", () => {
  const v = loadsJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ["__proto__"]);
  assert.equal((v as { x?: unknown }).x, undefined);
});
