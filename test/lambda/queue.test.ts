// The RIE serves one invocation at a time: the proxy queues concurrent requests and serves them
// in turn. The stand-in refuses (400) and counts any overlapping invocation, which the proxy
// would turn into a 502, so 20 concurrent requests all answered 200 with no overlap prove the queue.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { SerialQueue } from "../../src/lambda/serial-queue.js";
import { send } from "./client.js";
import { startRig } from "./proxy.js";

test("20 concurrent requests are each invoked once, never overlapping, and all answered", async () => {
  const rig = await startRig("apigateway-http", async (event) => {
    await sleep(5); // long enough that unqueued requests would overlap
    return { result: { statusCode: 200, body: event.rawPath } };
  });
  try {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => send(rig.proxy.port, { path: `/n/${i}` })));
    assert.equal(rig.rie.overlaps, 0);
    assert.deepEqual(
      replies.map((r) => [r.status, r.body.toString()]),
      Array.from({ length: 20 }, (_, i) => [200, `/n/${i}`]),
    );
    assert.deepEqual(rig.rie.events.map((e) => e.rawPath).sort(), Array.from({ length: 20 }, (_, i) => `/n/${i}`).sort());
  } finally {
    await rig.close();
  }
});

test("a failed invocation does not stop the ones queued behind it", async () => {
  let calls = 0;
  const rig = await startRig("apigateway-rest", async () => {
    calls++;
    await sleep(2);
    return calls === 1 ? { raw: "", status: 500 } : { result: { statusCode: 200, body: "ok" } };
  });
  try {
    const replies = await Promise.all(Array.from({ length: 4 }, () => send(rig.proxy.port)));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 200, 200, 502]);
    assert.equal(rig.rie.overlaps, 0);
  } finally {
    await rig.close();
  }
});

test("SerialQueue runs tasks one at a time in the order queued, failures included", async () => {
  const queue = new SerialQueue();
  const order: string[] = [];
  let running = 0;
  const task = (name: string, fail = false) => async () => {
    running++;
    assert.equal(running, 1);
    order.push(`start ${name}`);
    await sleep(1);
    order.push(`end ${name}`);
    running--;
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([queue.run(task("a")), queue.run(task("b", true)), queue.run(task("c"))]);
  assert.deepEqual(order, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["fulfilled", "rejected", "fulfilled"],
  );
  assert.equal(queue.size, 0);
});
