// LivePush: pages get news over a real WebSocket; a burst larger than a page's queue becomes
// "N more" (the proxy never holds an unbounded queue for a page), after which news flows again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { LivePush } from "../../src/view/live-push.js";
import type { DumpFeed } from "../../src/view/dump-feed.js";
import type { DumpEntry } from "../../src/view/log-folder.js";

/** A feed the test drives by hand (the recorder, or the file system, in real use). */
function handFeed(): DumpFeed & { emit(e: DumpEntry): void; subscribers(): number } {
  const subs = new Set<(e: DumpEntry) => void>();
  return {
    subscribers: () => subs.size,
    subscribe: (cb) => (subs.add(cb), () => subs.delete(cb)),
    close: () => subs.clear(),
    emit: (e) => subs.forEach((cb) => cb(e)),
  };
}

const entry = (n: number): DumpEntry => ({ interface: "library", name: `${String(n).padStart(5, "0")}__v0.4_traces.json`, number: n, path: "/v0.4/traces", mtimeMs: n });

test("a burst beyond a page's queue is told as 'N more'; later dumps come as dumps again", async () => {
  const feed = handFeed();
  const push = new LivePush(feed, { maxQueued: 10, maxBuffered: 1 << 20, flushMs: 20 });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => push.upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // No page, no listening to the feed (nothing costs the proxy).
  assert.equal(feed.subscribers(), 0);
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ui/ws`);
  const messages: any[] = [];
  let wake: () => void = () => {};
  ws.on("message", (data) => {
    messages.push(JSON.parse(String(data)));
    wake();
  });
  const until = async (n: number) => {
    for (let i = 0; messages.length < n; i++) {
      assert.ok(i < 100, `only ${messages.length} of ${n} messages came`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
  await new Promise((resolve) => ws.once("open", resolve));
  for (let i = 0; push.size === 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 10));

  for (let n = 0; n < 1000; n++) feed.emit(entry(n));
  await until(2);
  assert.deepEqual(messages[0], { type: "dumps", dumps: Array.from({ length: 10 }, (_, n) => entry(n)) });
  assert.deepEqual(messages[1], { type: "more", count: 990 });

  feed.emit(entry(1000));
  await until(3);
  assert.deepEqual(messages[2], { type: "dumps", dumps: [entry(1000)] });

  assert.equal(feed.subscribers(), 1);
  ws.close();
  for (let i = 0; feed.subscribers() > 0; i++) {
    assert.ok(i < 100, "still subscribed after the last page left");
    await new Promise((r) => setTimeout(r, 10));
  }
  push.close();
  await new Promise((resolve) => server.close(resolve));
});
