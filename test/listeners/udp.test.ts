// The dogstatsd listener: datagrams forwarded as they are to the DogStatsD target.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServe } from "../helpers/serve.js";
import { readDumps } from "../helpers/dumps.js";
import { sendDatagram, startUdpReceiver } from "../helpers/udp.js";

test("datagrams reach the DogStatsD target byte for byte, in order, and nothing is dumped", async () => {
  const receiver = await startUdpReceiver("127.0.0.1");
  const proxy = await startServe(["--dogstatsd-target", `127.0.0.1:${receiver.port}`], { listeners: ["dogstatsd"] });
  try {
    assert.match(proxy.output(), /st-proxy: dogstatsd listening on udp:\/\/127\.0\.0\.1:\d+/);
    const datagrams = [
      Buffer.from("page.views:1|c|#env:system-tests,service:weblog"),
      Buffer.from("request.latency:12.5|h|@0.5\nqueue.size:3|g"),
      Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7c]),
    ];
    // One at a time: UDP on loopback keeps them, and the order is then the sender's.
    const got: Buffer[] = [];
    for (const [i, d] of datagrams.entries()) {
      await sendDatagram("127.0.0.1", proxy.ports.dogstatsd, d);
      got.push((await receiver.received(i + 1))[i]);
    }
    assert.deepEqual(got, datagrams);
    assert.equal(readDumps(proxy.logFolder, "dogstatsd").length, 0);
  } finally {
    await proxy.stop();
    receiver.close();
  }
});

test("an unresolvable DogStatsD target drops datagrams with a log line; the listener goes on", async () => {
  const proxy = await startServe(["--dogstatsd-target", "no-such-host.invalid:8125"], { listeners: ["dogstatsd"] });
  try {
    await sendDatagram("127.0.0.1", proxy.ports.dogstatsd, Buffer.from("a:1|c"));
    await proxy.waitForOutput(/cannot resolve no-such-host\.invalid/);
    assert.equal(proxy.proc.exitCode, null, "still running");
  } finally {
    assert.equal(await proxy.stop(), 0);
  }
});
