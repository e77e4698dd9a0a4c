// Python's repr of bytes, checked against the rules of Python's documentation (bytes literals
// and repr): quote choice, escapes by name, \xhh for the rest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bytesRepr, floatKeyRepr } from "../../src/decode/python-repr.js";

const b = (s: string) => Buffer.from(s, "latin1");

test("empty and plain ASCII bytes use single quotes", () => {
  assert.equal(bytesRepr(b("")), "b''");
  assert.equal(bytesRepr(b("hello world ~")), "b'hello world ~'");
});

test("a single quote alone switches to double quotes, unescaped", () => {
  assert.equal(bytesRepr(b("it's")), `b"it's"`);
});

test("a double quote alone stays inside single quotes, unescaped", () => {
  assert.equal(bytesRepr(b('say "hi"')), `b'say "hi"'`);
});

test("both quotes: single quotes, the single one escaped", () => {
  assert.equal(bytesRepr(b(`'"`)), `b'\\'"'`);
});

test("backslash, tab, newline and carriage return are escaped by name", () => {
  assert.equal(bytesRepr(b("\\\t\n\r")), "b'\\\\\\t\\n\\r'");
});

test("other control bytes, DEL and high bytes are \\xhh in lowercase", () => {
  assert.equal(bytesRepr(Buffer.from([0x00, 0x0b, 0x1f, 0x7f, 0x80, 0xab, 0xff])), "b'\\x00\\x0b\\x1f\\x7f\\x80\\xab\\xff'");
});

test("a view into a larger buffer is rendered on its own bytes only", () => {
  const whole = b("xx'ab'yy");
  assert.equal(bytesRepr(whole.subarray(2, 6)), `b"'ab'"`);
});

test("float keys are written as Python's float repr", () => {
  assert.equal(floatKeyRepr(1), "1.0");
  assert.equal(floatKeyRepr(-0), "-0.0");
  assert.equal(floatKeyRepr(1.5), "1.5");
  assert.equal(floatKeyRepr(1e16), "1e+16");
  assert.equal(floatKeyRepr(1.5e-5), "1.5e-05");
  assert.equal(floatKeyRepr(NaN), "NaN");
  assert.equal(floatKeyRepr(-Infinity), "-Infinity");
});

test("bytesReprJson writes exactly JSON.stringify(bytesRepr(bytes)), for every byte and either quote", async () => {
  const { bytesReprJson } = await import("../../src/decode/python-repr.js");
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const samples = [Buffer.alloc(0), all, Buffer.from("it's"), Buffer.from(`it's "quoted"`), Buffer.from('say "hi"'), Buffer.from("back\\slash\t\n\r\x00\x7f\x80\xff")];
  let seed = 9;
  for (let n = 0; n < 300; n++) {
    const b = Buffer.alloc(n % 97);
    for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >> 24;
    samples.push(b);
  }
  for (const b of samples) {
    assert.equal(bytesReprJson(b).toString("latin1"), JSON.stringify(bytesRepr(b)), b.toString("hex"));
    assert.equal(bytesReprJson(b, "... [3 more]").toString("latin1"), JSON.stringify(bytesRepr(b) + "... [3 more]"));
  }
});
