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

test("body reader: no memory is taken for a body before its first bytes arrive", () => {
  // Requests waiting to be admitted (InFlightBodies) make their readers first: 50 of them
  // declaring 4 MB each must not hold 200 MB between them.
  const before = process.memoryUsage().arrayBuffers;
  const waiting = Array.from({ length: 50 }, () => new BodyReader(4 * 1024 * 1024));
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 8 * 1024 * 1024, `${Math.round(grown / 1e6)} MB allocated for 50 bodies not yet arriving`);
  // Once bytes arrive, the declared size is taken at once (one buffer, no joining).
  waiting[0].push(Buffer.from("abc"));
  assert.ok(process.memoryUsage().arrayBuffers - before >= 4 * 1024 * 1024);
  assert.equal(waiting[0].body().toString(), "abc");
});

test("body reader: a chunk copied into the body has its memory given back; a chunk kept as it is does not", () => {
  const owned = (text: string) => {
    const b = Buffer.allocUnsafeSlow(text.length);
    b.write(text);
    return b;
  };
  const copied = [owned("hello "), owned("world")];
  const reader = new BodyReader(11);
  for (const c of copied) reader.push(c);
  assert.equal(reader.body().toString(), "hello world");
  // ArrayBuffer#transfer frees at once where the runtime has it (Node >= 21); Node 20 leaves it to the GC.
  const canRelease = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === "function";
  assert.deepEqual(copied.map((c) => c.length), canRelease ? [0, 0] : [6, 5]);
  // Without a declared size the chunks are the body: untouched.
  const kept = [owned("hello "), owned("world")];
  const chunked = new BodyReader(0);
  for (const c of kept) chunked.push(c);
  assert.equal(chunked.body().toString(), "hello world");
  assert.deepEqual(kept.map((c) => c.toString()), ["hello ", "world"]);
});
