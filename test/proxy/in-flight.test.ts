import { test } from "node:test";
import assert from "node:assert/strict";
import { InFlightBodies } from "../../src/proxy/in-flight.js";

test("in-flight bodies: admitted while they fit, then first come first served as room frees", () => {
  const bodies = new InFlightBodies(100);
  const started: string[] = [];
  const [a, b, c, d] = ["a", "b", "c", "d"].map((name) => bodies.admit(25, () => started.push(name)));
  const e = bodies.admit(25, () => started.push("e"));
  const f = bodies.admit(5, () => started.push("f"));
  // f would fit once e is in, but e came first: no overtaking (a large body is never starved by small ones).
  assert.deepEqual(started, ["a", "b", "c", "d"]);
  assert.equal(bodies.total, 100);
  a.use(25);
  a.release();
  assert.deepEqual(started, ["a", "b", "c", "d", "e"]);
  b.release();
  assert.deepEqual(started, ["a", "b", "c", "d", "e", "f"]);
  for (const x of [c, d, e, f]) x.release();
  assert.equal(bodies.total, 0);
});

test("in-flight bodies: a declared size reserves at most a quarter of the limit; bytes really held count as they come", () => {
  const bodies = new InFlightBodies(10);
  const started: string[] = [];
  const big = bodies.admit(1000, () => started.push("big"));
  const next = bodies.admit(1, () => started.push("next"));
  // The announced 1000 bytes do not hold the next exchange up: only 2 (10 / 4) are reserved.
  assert.deepEqual(started, ["big", "next"]);
  const after = bodies.admit(1, () => started.push("after"));
  big.use(1500); // what it really sent, and its answer
  assert.equal(bodies.total, 1502);
  const waiting = bodies.admit(1, () => started.push("waiting"));
  assert.deepEqual(started, ["big", "next", "after"], "past the limit, new exchanges wait");
  big.release();
  big.release(); // once only
  assert.deepEqual(started, ["big", "next", "after", "waiting"]);
  assert.equal(bodies.total, 3);
  for (const x of [next, after, waiting]) x.release();
  assert.equal(bodies.total, 0);
});

test("in-flight bodies: a queued exchange whose client leaves takes nothing with it", () => {
  const bodies = new InFlightBodies(8);
  const started: string[] = [];
  const full = [1, 2, 3, 4].map((i) => bodies.admit(2, () => started.push(`a${i}`)));
  const gone = bodies.admit(2, () => started.push("gone"));
  const c = bodies.admit(2, () => started.push("c"));
  gone.release();
  full[0].release();
  assert.deepEqual(started, ["a1", "a2", "a3", "a4", "c"]);
  assert.equal(bodies.total, 8);
  for (const x of [...full.slice(1), c]) x.release();
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

test("in-flight bodies: an exchange that would fit does not overtake one queued before it", () => {
  const bodies = new InFlightBodies(100);
  const started: string[] = [];
  const held = ["a", "b", "c"].map((name) => bodies.admit(25, () => started.push(name)));
  const x = bodies.admit(15, () => started.push("x")); // 90 held
  const e = bodies.admit(25, () => started.push("e")); // would make 115: waits
  const f = bodies.admit(5, () => started.push("f")); // would fit (95), but e is first
  assert.deepEqual(started, ["a", "b", "c", "x"]);
  held[0].release();
  assert.deepEqual(started, ["a", "b", "c", "x", "e", "f"]);
  for (const y of [...held.slice(1), x, e, f]) y.release();
  assert.equal(bodies.total, 0);
});

test("in-flight bodies: bytes used within the reservation change nothing; past it they count", () => {
  const bodies = new InFlightBodies(100);
  const a = bodies.admit(20, () => {});
  a.use(5);
  a.use(10);
  assert.equal(bodies.total, 20, "still the 20 reserved");
  a.use(10);
  assert.equal(bodies.total, 25);
  a.release();
  assert.equal(bodies.total, 0);
});
