import { test } from "node:test";
import assert from "node:assert/strict";
import { BodyReader } from "../../src/listeners/read-body.js";

const parts = [Buffer.from("hello "), Buffer.from("wide "), Buffer.from("world")];

test("body reader: a declared size is read into one buffer of that size", () => {
  const reader = new BodyReader(16);
  for (const p of parts) reader.push(p);
  const body = reader.body();
  assert.equal(body.toString(), "hello wide world");
  assert.equal(body.buffer.byteLength >= 16, true);
  // One allocation: the body is a view of the buffer allocated for it, not a joined copy.
  assert.equal(body.length, 16);
});

test("body reader: without a declared size, or past it, the chunks are joined whole", () => {
  for (const declared of [0, 8]) {
    const reader = new BodyReader(declared);
    for (const p of parts) reader.push(p);
    assert.equal(reader.body().toString(), "hello wide world", `declared ${declared}`);
    assert.equal(reader.size, 16);
  }
});

test("body reader: a body cut short gives what arrived; an absurd declared size is not allocated", () => {
  const reader = new BodyReader(100);
  reader.push(parts[0]);
  assert.equal(reader.body().toString(), "hello ");
  const huge = new BodyReader(10 * 1024 * 1024 * 1024);
  huge.push(parts[0]);
  assert.equal(huge.body().toString(), "hello ");
});
