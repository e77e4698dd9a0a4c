// IPv6: every listener kind serving on ::1, upstreams given as [::1]:PORT; SYSTEM_TESTS_IPV6=True
// listens on :: (which, dual-stack, also takes IPv4 clients).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { startServe, tempDir } from "../helpers/serve.js";
import { startTestAgent } from "../helpers/stand-in-agent.js";
import { readDumps } from "../helpers/dumps.js";
import { sendDatagram, startUdpReceiver } from "../helpers/udp.js";
import { CLI } from "../helpers/shared.js";

test("an IPv6 run on ::1: mock API, library with a tracer mock, OTLP and DogStatsD to IPv6 targets", async () => {
  const agent = await startTestAgent();
  const otlpReceived: string[] = [];
  const otlp = createServer((req, res) => {
    req.resume().on("end", () => {
      otlpReceived.push(`${req.method} ${req.url} ${req.socket.localAddress}`);
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => otlp.listen(0, "::1", r));
  const otlpPort = (otlp.address() as AddressInfo).port;
  const statsd = await startUdpReceiver("::1");
  const proxy = await startServe(
    ["--listen-host", "::1", "--agent-target", `127.0.0.1:${agent.port}`, "--otlp-agent", `[::1]:${otlpPort}`, "--otlp-collector", `[::1]:${otlpPort}`, "--dogstatsd-target", `[::1]:${statsd.port}`],
    { listeners: ["library", "commands", "open_telemetry", "dogstatsd"] },
  );
  try {
    for (const name of ["library", "commands", "open_telemetry"]) assert.match(proxy.output(), new RegExp(`${name} listening on http://\\[::1\\]:\\d+`));
    assert.match(proxy.output(), /dogstatsd listening on udp:\/\/\[::1\]:\d+/);

    const put = await request(`http://[::1]:${proxy.ports.commands}/mocked_tracer_responses`, { method: "PUT", body: '[{"type": "SetSpanEventFlags", "span_events": true}]' });
    assert.deepEqual([put.statusCode, await put.body.text()], [200, "Ok"]);
    const info = await request(`http://[::1]:${proxy.ports.library}/info`);
    assert.equal((await info.body.json() as { span_events: boolean }).span_events, true);

    const exported = await request(`http://[::1]:${proxy.ports.open_telemetry}/v1/metrics`, { method: "POST", body: "{}", headers: { "content-type": "application/json", "dd-otlp-path": "collector" } });
    assert.equal(exported.statusCode, 200);
    await exported.body.text();
    assert.deepEqual(otlpReceived, ["POST /v1/metrics ::1"]);
    const [otlpDump] = readDumps(proxy.logFolder, "open_telemetry");
    assert.deepEqual([otlpDump.host, otlpDump.port], ["::1", otlpPort]);

    await sendDatagram("::1", proxy.ports.dogstatsd, Buffer.from("v6.metric:1|c"));
    assert.deepEqual(await statsd.received(1), [Buffer.from("v6.metric:1|c")]);
  } finally {
    await proxy.stop();
    await agent.close();
    statsd.close();
    otlp.close();
  }
});

test("SYSTEM_TESTS_IPV6=True listens on :: and takes IPv6 and IPv4 clients", async () => {
  const agent = await startTestAgent();
  const child = spawn(process.execPath, [CLI, "serve", "--log-folder", tempDir(), "--listeners", "library", "--port", "library=0", "--agent-target", `127.0.0.1:${agent.port}`], {
    env: { ...process.env, SYSTEM_TESTS_IPV6: "True" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stderr.on("data", (c: Buffer) => (out += c));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c;
        const m = /library listening on (\S+):(\d+)/.exec(out);
        if (m) {
          assert.equal(m[1], "http://[::]");
          resolve(Number(m[2]));
        }
      });
      child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    for (const host of ["[::1]", "127.0.0.1"]) {
      const res = await request(`http://${host}:${port}/info`);
      assert.equal(res.statusCode, 200, host);
      await res.body.text();
    }
    assert.equal(agent.received.length, 2);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    await agent.close();
  }
});
