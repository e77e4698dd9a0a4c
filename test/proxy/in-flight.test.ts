import { test } from "node:test";
import assert from "node:assert/strict";
import { InFlightBodies } from "../../src/proxy/in-flight.js";

test("in-flight bodies: admitted while they fit, then first come first served as room frees", () => {
  const bodies = new InFlightBodies(100);
  const started: string[] = [];
  const a = bodies.admit(60, () => started.push("a"));
  const b = bodies.admit(30, () => started.push("b"));
  const c = bodies.admit(30, () => started.push("c"));
  const d = bodies.admit(5, () => started.push("d"));
  // d would fit, but c came first: no overtaking (a large body is never starved by small ones).
  assert.deepEqual(started, ["a", "b"]);
  assert.equal(bodies.total, 90);
  a.use(60);
  a.release();
  assert.deepEqual(started, ["a", "b", "c", "d"]);
  assert.equal(bodies.total, 65);
  for (const x of [b, c, d]) x.release();
  assert.equal(bodies.total, 0);
});

test("in-flight bodies: one exchange alone is admitted however large; bytes past the declared size count", () => {
  const bodies = new InFlightBodies(10);
  const started: string[] = [];
  const big = bodies.admit(1000, () => started.push("big"));
  const next = bodies.admit(1, () => started.push("next"));
  assert.deepEqual(started, ["big"]);
  big.use(1500); // a chunked body longer than declared, and its answer
  assert.equal(bodies.total, 1500);
  big.release();
  big.release(); // once only
  assert.deepEqual(started, ["big", "next"]);
  assert.equal(bodies.total, 1);
  next.release();
  assert.equal(bodies.total, 0);
});

test("in-flight bodies: a queued exchange whose client leaves takes nothing with it", () => {
  const bodies = new InFlightBodies(10);
  const started: string[] = [];
  const a = bodies.admit(10, () => started.push("a"));
  const gone = bodies.admit(5, () => started.push("gone"));
  const c = bodies.admit(5, () => started.push("c"));
  gone.release();
  a.release();
  assert.deepEqual(started, ["a", "c"]);
  assert.equal(bodies.total, 5);
  c.release();
  assert.equal(bodies.total, 0);
});

test("in-flight bodies: half-read requests never wait on each other (no deadlock under a burst of large bodies)", () => {
  // 32 clients each sending 2 MB: once admitted a request reads to its end; the rest wait whole.
  const bodies = new InFlightBodies(8);
  const admitted: number[] = [];
  const all = Array.from({ length: 32 }, (_, i) => bodies.admit(2, () => admitted.push(i)));
  assert.deepEqual(admitted, [0, 1, 2, 3]);
  for (let i = 0; i < 32; i++) {
    assert.ok(admitted.includes(i), `request ${i} never admitted`);
    all[i].use(2);
    all[i].release();
  }
  assert.equal(bodies.total, 0);
  assert.equal(bodies.waiting, 0);
});
