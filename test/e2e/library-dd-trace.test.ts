// End to end: the real dd-trace (@6; @5 on Node 20) → st-proxy serve (library) → a stand-in agent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { decode } from "@msgpack/msgpack";
import { ROOT } from "../helpers/shared.js";
import { startServe } from "../helpers/serve.js";
import { startTestAgent } from "../helpers/stand-in-agent.js";
import { readDumps } from "../helpers/dumps.js";
import { TRACER_MAJOR } from "../helpers/tracer-major.js";

interface Reported {
  name: string;
  trace_id: string;
  span_id: string;
}

/** The fixture's output: the tracer version it loaded, then one line per span it reported. */
function runFixture(port: number, env: Record<string, string> = {}): Promise<{ tracerVersion: string; reported: Reported[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "test", "fixtures", "dd-trace-app.cjs")], {
      env: {
        PATH: process.env.PATH,
        DD_TRACE_AGENT_URL: `http://127.0.0.1:${port}`,
        DD_SERVICE: "e2e-app",
        DD_ENV: "system-tests",
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: "true",
        DD_TELEMETRY_HEARTBEAT_INTERVAL: "1",
        DD_REMOTE_CONFIGURATION_ENABLED: "true",
        DD_REMOTE_CONFIG_POLL_INTERVAL_SECONDS: "0.5",
        FIXTURE_REQUESTS: "3",
        FIXTURE_LINGER_MS: "2500",
        ...env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`fixture exited ${code}: ${out}`));
      const [first, ...spans] = out.trim().split("\n").map((l) => JSON.parse(l));
      resolve({ tracerVersion: (first as { tracer_version: string }).tracer_version, reported: spans as Reported[] });
    });
  });
}

test(`dd-trace@${TRACER_MAJOR} traces, telemetry and remote-config polls are forwarded unchanged and dumped with exact ids`, async () => {
  const agent = await startTestAgent();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"] });
  try {
    const { tracerVersion, reported } = await runFixture(proxy.ports.library);
    assert.equal(Number(tracerVersion.split(".")[0]), TRACER_MAJOR, `the fixture loaded dd-trace ${tracerVersion}`);
    assert.ok(reported.length >= 4, "the app reports its spans");
    assert.equal(await proxy.stop(), 0, "serve exits 0 on SIGTERM");

    const dumps = readDumps(proxy.logFolder, "library");
    assert.equal(dumps.length, agent.received.length, "one dump per request the agent received");

    // Every span dd-trace reported is in a /v0.4/traces dump, with its exact 64-bit ids.
    const traceDumps = dumps.filter((d) => d.path === "/v0.4/traces");
    assert.ok(traceDumps.length > 0, "traces were sent");
    const dumpedSpans = traceDumps.flatMap((d) => (d.request.content as any[][]).flat());
    for (const r of reported) {
      const span = dumpedSpans.find((s) => BigInt(s.span_id) === BigInt(r.span_id));
      assert.ok(span, `span ${r.name} ${r.span_id} is in a dump`);
      assert.equal(BigInt(span.trace_id) & 0xffffffffffffffffn, BigInt(r.trace_id) & 0xffffffffffffffffn, `trace id of ${r.name}`);
    }
    assert.ok(reported.some((r) => BigInt(r.span_id) > 2n ** 53n), "some id is beyond 2^53, so exactness was tested");

    // The agent got the bytes the tracer sent, and the dump shows what those bytes hold
    // (decoded here independently of st-proxy's decoders).
    const agentTraces = agent.received.filter((r) => r.url === "/v0.4/traces");
    assert.equal(agentTraces.length, traceDumps.length);
    agentTraces.forEach((r, i) => {
      const independent = decode(r.body, { useBigInt64: true }) as any[][];
      const ids = independent.flat().map((s: any) => BigInt.asUintN(64, BigInt(s.span_id)));
      const dumped = (traceDumps[i].request.content as any[][]).flat().map((s) => BigInt(s.span_id));
      assert.deepEqual(dumped, ids);
      assert.equal(traceDumps[i].request.length, r.body.length);
    });

    // Telemetry and remote-config polls were forwarded and dumped too, with the agent's answers.
    const telemetry = dumps.filter((d) => d.path === "/telemetry/proxy/api/v2/apmtelemetry");
    assert.ok(telemetry.some((d) => d.request.content.request_type === "app-started"), "app-started telemetry");
    const rc = dumps.filter((d) => d.path === "/v0.7/config");
    assert.ok(rc.length > 0, "remote-config polls");
    assert.equal(typeof rc[0].request.content.client.client_tracer.runtime_id, "string");
    for (const d of dumps) {
      assert.equal(d.host, "127.0.0.1");
      assert.equal(d.port, agent.port);
      assert.match(d.request.timestamp_start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
      assert.equal(d.request.traceback, undefined, `${d.log_filename} decoded`);
      assert.equal(d.response.traceback, undefined, `${d.log_filename} response decoded`);
    }
  } finally {
    await proxy.stop();
    await agent.close();
  }
});
