// The mock API on the commands listener: the Python runner's exact JSON, PUT over HTTP, then
// real exchanges through st-proxy showing each mock's effect on the answer and in the dump.
import { test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "undici";
import { startServe, tempDir } from "../helpers/serve.js";
import { startTestAgent, type Received } from "../helpers/stand-in-agent.js";
import { readDumps } from "../helpers/dumps.js";
import { closedPort } from "../helpers/closed-port.js";

async function put(port: number, path: string, text: string): Promise<{ status: number; text: string }> {
  // As Python's requests sends `json=`: a JSON body with its content type.
  const res = await request(`http://127.0.0.1:${port}${path}`, { method: "PUT", body: text, headers: { "content-type": "application/json" } });
  return { status: res.statusCode, text: await res.body.text() };
}

async function call(port: number, method: string, path: string, body?: unknown) {
  const res = await request(`http://127.0.0.1:${port}${path}`, {
    method: method as "GET",
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

// The agent behind st-proxy: an /info without remote config, a remote-config endpoint that is
// off (404, as an agent with remote config disabled answers), a failing stats endpoint.
const AGENT_INFO = '{"version":"7.60.0","endpoints":["/v0.4/traces","/v0.6/stats"],"span_meta_structs":true,"client_drop_p0s":true,"obfuscation_version":1}';
function agentAnswer(r: Received) {
  const path = r.url.split("?")[0];
  if (path === "/info") return { status: 200, body: AGENT_INFO };
  if (path === "/v0.7/config") return { status: 404, body: "404 page not found\n", type: "text/plain" };
  if (path === "/v0.6/stats") return { status: 500, body: "stats broken", type: "text/plain" };
  if (path.endsWith("/traces")) return { status: 200, body: '{"rate_by_service":{"service:,env:":1}}' };
  return undefined;
}

function mocksFolder(tracer: string, backend?: string): string {
  const dir = tempDir("st-proxy-mocks-");
  writeFileSync(join(dir, "internal_mocked_tracer_responses.json"), tracer);
  if (backend !== undefined) writeFileSync(join(dir, "internal_mocked_backend_responses.json"), backend);
  return dir;
}

const RC_PAYLOAD = {
  targets: "eyJzaWduZWQiOiB7fX0=",
  client_configs: ["datadog/2/APM_TRACING/apm-1/config", "datadog/2/ASM_DD/asm-1/config"],
  target_files: [
    { path: "datadog/2/APM_TRACING/apm-1/config", raw: "e30=" },
    { path: "datadog/2/ASM_DD/asm-1/config", raw: "e30=" },
  ],
};
const rcPoll = (runtimeId: string, products: string[]) => ({ client: { products, client_tracer: { runtime_id: runtimeId, language: "node" }, state: {} } });

test("each tracer mock type, sent as the runner sends it, changes the next answers; the dump shows what the client got", async () => {
  const agent = await startTestAgent(agentAnswer);
  // The internal list as ProxyContainer.configure writes it (json.dump, indent=2).
  const folder = mocksFolder('[\n  {\n    "type": "SetSpanEventFlags",\n    "span_events": true\n  },\n  {\n    "type": "AddRemoteConfigEndpoint"\n  }\n]');
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`, "--mocks-folder", folder], { listeners: ["library", "python_buddy", "commands"] });
  const { library, python_buddy: buddy, commands } = proxy.ports;
  try {
    // Internal mocks apply from the start, on the library and on the buddies alike.
    for (const port of [library, buddy]) {
      const info = await call(port, "GET", "/info");
      assert.equal(info.status, 200);
      assert.equal(info.text, '{"version": "7.60.0", "endpoints": ["/v0.4/traces", "/v0.6/stats", "/v0.7/config"], "span_meta_structs": true, "client_drop_p0s": true, "obfuscation_version": 1, "span_events": true}');
    }

    // /info editors at run time apply after the internal ones.
    const editors = '[{"type": "RemoveMetaStructsSupport"}, {"type": "SetClientDropP0s", "client_drop_p0s": false}, {"type": "SetObfuscationVersion", "obfuscation_version": "MISSING"}]';
    assert.deepEqual(await put(commands, "/mocked_tracer_responses", editors), { status: 200, text: "Ok" });
    const edited = await call(library, "GET", "/info");
    const expectedInfo = '{"version": "7.60.0", "endpoints": ["/v0.4/traces", "/v0.6/stats", "/v0.7/config"], "client_drop_p0s": false, "span_events": true}';
    assert.equal(edited.text, expectedInfo);
    assert.equal(edited.headers["content-length"], String(expectedInfo.length));

    // MockedTracerResponse: status forced to 200, headers set; the body stays the agent's.
    assert.equal((await put(commands, "/mocked_tracer_responses", '[{"type": "MockedTracerResponse", "path": "/v0.6/stats", "mocked_headers": {"X-Mocked": "yes"}}]')).status, 200);
    const stats = await call(library, "PUT", "/v0.6/stats", {});
    assert.deepEqual([stats.status, stats.headers["x-mocked"], stats.text], [200, "yes", "stats broken"]);
    // The previous runtime list was replaced: /info is back to the internal mocks only.
    assert.match((await call(library, "GET", "/info")).text, /"span_meta_structs": true/);

    // StaticJson on /v0.7/config: the agent's 404 becomes the payload, gated by the client's products.
    const staticRc = JSON.stringify([{ type: "StaticJsonMockedTracerResponse", path: "/v0.7/config", mocked_json: RC_PAYLOAD, status_code: 200 }]);
    assert.equal((await put(commands, "/mocked_tracer_responses", staticRc)).status, 200);
    const gated = await call(library, "POST", "/v0.7/config", rcPoll("runtime-a", ["APM_TRACING"]));
    assert.equal(gated.status, 200);
    assert.equal(gated.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(gated.text), { targets: RC_PAYLOAD.targets, client_configs: [RC_PAYLOAD.client_configs[0]], target_files: [RC_PAYLOAD.target_files[0]] });
    const both = await call(library, "POST", "/v0.7/config", rcPoll("runtime-a", ["APM_TRACING", "ASM_DD"]));
    assert.deepEqual(JSON.parse(both.text), RC_PAYLOAD);

    // SequentialRemoteConfig: per runtime id, stays on the last, says which one it answered.
    const sequence = [{ ...RC_PAYLOAD, client_configs: [] as string[], target_files: [] }, RC_PAYLOAD];
    assert.equal((await put(commands, "/mocked_tracer_responses", JSON.stringify([{ type: "SequentialRemoteConfigJsonMockedTracerResponse", mocked_json_sequence: sequence }]))).status, 200);
    const polls = [];
    for (const id of ["r1", "r1", "r2", "r1"]) {
      const a = await call(library, "POST", "/v0.7/config", rcPoll(id, ["ASM_DD"]));
      polls.push([a.headers["st-proxy-overwrite-rc-response"], JSON.parse(a.text).client_configs]);
    }
    assert.deepEqual(polls, [
      ["0", []],
      ["1", ["datadog/2/ASM_DD/asm-1/config"]],
      ["0", []],
      ["1", ["datadog/2/ASM_DD/asm-1/config"]],
    ]);

    // SequentialJson, exactly as tests/test_sampling_rate_capping.py sends it: one counter per mock.
    const low = { rate_by_service: { "service:,env:": 0.1 } };
    const high = { rate_by_service: { "service:,env:": 1.0 } };
    const rates = JSON.stringify([
      { type: "SequentialJsonMockedTracerResponse", path: "/v0.4/traces", mocked_json_sequence: [low, high] },
      { type: "SequentialJsonMockedTracerResponse", path: "/v0.5/traces", mocked_json_sequence: [low, high] },
    ]);
    assert.equal((await put(commands, "/mocked_tracer_responses", rates)).status, 200);
    const seen = [];
    for (const path of ["/v0.4/traces", "/v0.4/traces", "/v0.5/traces", "/v0.4/traces"]) {
      const a = await call(library, "PUT", path, []);
      seen.push([path, a.headers["st-proxy-sequential-response-idx"], a.text]);
    }
    assert.deepEqual(seen, [
      ["/v0.4/traces", "0", '{"rate_by_service": {"service:,env:": 0.1}}'],
      ["/v0.4/traces", "1", '{"rate_by_service": {"service:,env:": 1}}'],
      ["/v0.5/traces", "0", '{"rate_by_service": {"service:,env:": 0.1}}'],
      ["/v0.4/traces", "1", '{"rate_by_service": {"service:,env:": 1}}'],
    ]);

    // The agent saw the requests unchanged; the dumps hold the answers the client received.
    assert.equal(agent.received.filter((r) => r.url === "/v0.7/config").length, 6);
    const dumps = readDumps(proxy.logFolder, "library");
    const rcDumps = dumps.filter((d) => d.path === "/v0.7/config");
    assert.equal(rcDumps[0].response.status_code, 200);
    assert.deepEqual(rcDumps[0].response.content.client_configs, [RC_PAYLOAD.client_configs[0]]);
    assert.deepEqual(
      rcDumps.slice(2).map((d) => d.response.headers.find(([n]: string[]) => n === "st-proxy-overwrite-rc-response")?.[1]),
      ["0", "1", "0", "1"],
    );
    const statsDump = dumps.find((d) => d.path === "/v0.6/stats");
    assert.equal(statsDump.response.status_code, 200);
    assert.deepEqual(statsDump.response.headers.find(([n]: string[]) => n === "X-Mocked"), ["X-Mocked", "yes"]);
    assert.deepEqual(dumps.find((d) => d.path === "/v0.5/traces").response.content, low);
    assert.equal(readDumps(proxy.logFolder, "python_buddy")[0].response.content.span_events, true);
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

test("bad definitions are refused with 400 and a one-line reason; the previous list stays in force; anything else is 404", async () => {
  const agent = await startTestAgent(agentAnswer);
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library", "commands"] });
  const { library, commands } = proxy.ports;
  try {
    assert.equal((await put(commands, "/mocked_tracer_responses", '[{"type": "SetSpanEventFlags", "span_events": false}]')).status, 200);
    const bad: [string, RegExp][] = [
      ['[{"type": "SetSpanEventFlags", "span_events": tru', /^Invalid mocked tracer response definition: body is not valid JSON/],
      ['[{"type": "SetSpanEventFlagz", "span_events": true}]', /^Invalid mocked tracer response definition: item 0: unknown tracer mock type "SetSpanEventFlagz"/],
      ['[{"type": "SetClientDropP0s", "client_drop_p0s": true}, {"type": "StaticJsonMockedTracerResponse", "path": "/info"}]', /item 1 \(StaticJsonMockedTracerResponse\): missing field "mocked_json"/],
      ['{"type": "SetSpanEventFlags", "span_events": true}', /expected a JSON list/],
    ];
    for (const [body, reason] of bad) {
      const res = await put(commands, "/mocked_tracer_responses", body);
      assert.equal(res.status, 400, body);
      assert.match(res.text, reason);
      assert.equal(res.text.split("\n").length, 1);
    }
    const backend = await put(commands, "/mocked_backend_responses", '[{"type": "MockedBackendResponse", "path": "/api/v0.1/org", "content_type": "text/plain"}]');
    assert.equal(backend.status, 400);
    assert.match(backend.text, /^Invalid mocked backend response definition: item 0 \(MockedBackendResponse\): missing field "content"$/);

    // The first list is still the one in force (span_events false, client_drop_p0s untouched).
    const info = JSON.parse((await call(library, "GET", "/info")).text);
    assert.deepEqual([info.span_events, info.client_drop_p0s], [false, true]);

    assert.deepEqual([(await call(commands, "GET", "/mocked_tracer_responses")).status, (await call(commands, "POST", "/mocked_tracer_responses", [])).status], [404, 404]);
    const other = await put(commands, "/mocked_other_responses", "[]");
    assert.deepEqual(other, { status: 404, text: "Not found" });
    assert.equal((await put(commands, "/mocked_tracer_responses?x=1", "[]")).status, 404);
    // The mock API itself is never dumped.
    assert.equal(readDumps(proxy.logFolder, "commands").length, 0);
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

/** A plain-HTTP proxy request (absolute form) to a backend-facing listener. */
function viaProxy(proxyPort: number, url: string, body = ""): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest({ host: "127.0.0.1", port: proxyPort, method: "POST", path: url, headers: { host: u.host, "content-type": "application/x-protobuf" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("backend mocks answer mocked backend traffic: runtime ones first, then internal ones, the first exact path wins", async () => {
  const internalBackend = JSON.stringify(
    [
      { type: "MockedBackendResponse", path: "/api/v0.1/org", content: Buffer.from("internal-org").toString("base64"), content_type: "application/x-protobuf", status_code: 200 },
      { type: "MockedBackendResponse", path: "/api/v0.1/status", content: Buffer.from("internal-status").toString("base64"), content_type: "application/x-protobuf", status_code: 200 },
    ],
    null,
    2,
  );
  const folder = mocksFolder("[]", internalBackend);
  const proxy = await startServe(["--mocked-backend", "--confdir", tempDir(), "--mocks-folder", folder], { listeners: ["agent", "open_telemetry", "commands"] });
  const { agent, open_telemetry: otlp, commands } = proxy.ports;
  try {
    const runtime = JSON.stringify([
      { type: "MockedBackendResponse", path: "/api/v0.1/org", content: Buffer.from("runtime-org").toString("base64"), content_type: "text/plain", status_code: 201 },
      { type: "MockedBackendResponse", path: "/api/v0.1/org", content: Buffer.from("second").toString("base64"), content_type: "text/plain", status_code: 200 },
      { type: "MockedBackendResponse", path: "/v1/logs", content: "", content_type: "application/x-protobuf", status_code: 200 },
    ]);
    assert.deepEqual(await put(commands, "/mocked_backend_responses", runtime), { status: 200, text: "Ok" });

    const org = await viaProxy(agent, "http://api.datad0g.com/api/v0.1/org");
    assert.deepEqual([org.status, org.type, org.body.toString()], [201, "text/plain", "runtime-org"]);
    const status = await viaProxy(agent, "http://api.datad0g.com/api/v0.1/status");
    assert.deepEqual([status.status, status.type, status.body.toString()], [200, "application/x-protobuf", "internal-status"]);
    // A query makes another path: no mock, the mocked backend's default answer.
    const unmatched = await viaProxy(agent, "http://api.datad0g.com/api/v0.1/org?x=1");
    assert.deepEqual([unmatched.status, unmatched.body.toString()], [202, "Ok"]);

    // The OTLP intake routes are backend traffic too: answered here, by a mock or by default.
    const logs = await call(otlp, "POST", "/v1/logs", {});
    const headers = { "dd-otlp-path": "intake-logs", "content-type": "application/json" };
    const mockedLogs = await request(`http://127.0.0.1:${otlp}/v1/logs`, { method: "POST", body: "{}", headers });
    assert.deepEqual([mockedLogs.statusCode, (await mockedLogs.body.arrayBuffer()).byteLength], [200, 0]);
    const traces = await request(`http://127.0.0.1:${otlp}/v1/traces`, { method: "POST", body: "{}", headers: { ...headers, "dd-otlp-path": "intake-traces" } });
    assert.deepEqual([traces.statusCode, await traces.body.text()], [202, "Ok"]);
    assert.equal(logs.status, 400, "no dd-otlp-path header: refused");

    const dumps = readDumps(proxy.logFolder, "agent");
    assert.deepEqual(
      dumps.map((d) => [d.host, d.port, d.path, d.query, d.response.status_code, d.response.headers]),
      [
        ["api.datad0g.com", 80, "/api/v0.1/org", "", 201, [["Content-Type", "text/plain"], ["content-length", "11"]]],
        ["api.datad0g.com", 80, "/api/v0.1/status", "", 200, [["Content-Type", "application/x-protobuf"], ["content-length", "15"]]],
        ["api.datad0g.com", 80, "/api/v0.1/org", "x=1", 202, [["content-length", "2"]]],
      ],
    );
    const otlpDumps = readDumps(proxy.logFolder, "open_telemetry");
    assert.deepEqual(
      otlpDumps.map((d) => [d.host, d.port, d.path, d.response.status_code]),
      [
        ["127.0.0.1", otlp, "/v1/logs", 400],
        ["http-intake.logs.datad0g.com", 443, "/v1/logs", 200],
        ["trace.agent.datad0g.com", 443, "/v1/traces", 202],
      ],
    );
  } finally {
    await proxy.stop();
  }
});

test("backend mocks never answer tracer traffic, and tracer mocks never edit backend answers", async () => {
  const agent = await startTestAgent(agentAnswer);
  const proxy = await startServe(["--mocked-backend", "--confdir", tempDir(), "--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library", "agent", "commands"] });
  const { library, agent: backendPort, commands } = proxy.ports;
  try {
    await put(commands, "/mocked_backend_responses", JSON.stringify([{ type: "MockedBackendResponse", path: "/info", content: Buffer.from("backend").toString("base64") }]));
    await put(commands, "/mocked_tracer_responses", '[{"type": "MockedTracerResponse", "path": "/api/v2/series", "mocked_headers": {"X-Tracer-Mock": "1"}}]');
    const info = await call(library, "GET", "/info");
    assert.equal(info.text, AGENT_INFO);
    const series = await viaProxy(backendPort, "http://api.datad0g.com/api/v2/series");
    assert.equal(series.status, 202);
    assert.equal(readDumps(proxy.logFolder, "agent")[0].response.headers.some(([n]: string[]) => n === "X-Tracer-Mock"), false);
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

test("tracer mocks never edit st-proxy's own 502 for an unreachable agent: the client and the dump see the failure", async () => {
  const proxy = await startServe(["--agent-target", `127.0.0.1:${await closedPort()}`], { listeners: ["library", "commands"] });
  const { library, commands } = proxy.ports;
  try {
    const mocks = [
      { type: "MockedTracerResponse", path: "/v0.4/traces", mocked_headers: { "X-Mocked": "yes" } },
      { type: "StaticJsonMockedTracerResponse", path: "/v0.7/config", mocked_json: RC_PAYLOAD, status_code: 200 },
    ];
    assert.equal((await put(commands, "/mocked_tracer_responses", JSON.stringify(mocks))).status, 200);
    const traces = await call(library, "PUT", "/v0.4/traces", []);
    const config = await call(library, "POST", "/v0.7/config", rcPoll("r1", ["APM_TRACING"]));
    for (const answer of [traces, config]) {
      assert.equal(answer.status, 502);
      assert.match(answer.text, /ECONNREFUSED/);
    }
    assert.equal(traces.headers["x-mocked"], undefined);
    const dumps = readDumps(proxy.logFolder, "library");
    assert.deepEqual(
      dumps.map((d) => [d.path, d.response.status_code, d.response.headers.some(([n]: string[]) => n === "X-Mocked")]),
      [
        ["/v0.4/traces", 502, false],
        ["/v0.7/config", 502, false],
      ],
    );
  } finally {
    await proxy.stop();
  }
});

test("a malformed internal mocks file stops start-up with a message naming it", async () => {
  const folder = mocksFolder('[{"type": "SetSpanEventFlags"}]');
  await assert.rejects(
    startServe(["--agent-target", "127.0.0.1:9", "--mocks-folder", folder], { listeners: ["library"] }),
    (error: Error) => {
      assert.match(error.message, /exited \(1\)/);
      assert.match(error.message, /invalid internal mocks in .*internal_mocked_tracer_responses\.json: item 0 \(SetSpanEventFlags\): missing field "span_events"/);
      return true;
    },
  );
});
