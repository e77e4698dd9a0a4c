// End to end with mocks: the real dd-trace (@6; @5 on Node 20) → st-proxy (library) → a stand-in
// agent, with the session's internal mocks editing /info and a StaticJson mock, PUT as the runner
// does, handing the tracer a signed remote-config payload that it applies (seen in its next poll).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "undici";
import { ROOT } from "../helpers/shared.js";
import { startServe, tempDir } from "../helpers/serve.js";
import { startTestAgent, type Received } from "../helpers/stand-in-agent.js";
import { readDumps } from "../helpers/dumps.js";
import { TRACER_MAJOR } from "../helpers/tracer-major.js";
import { waitUntil } from "../helpers/wait.js";
import { buildRcPayload, rcPath, sha256Hex, type RcConfig } from "../helpers/remote-config.js";

// The agent knows nothing of remote config or span events; it answers polls with "nothing new".
const AGENT_INFO = { version: "7.60.0", endpoints: ["/v0.4/traces", "/v0.5/traces", "/v0.6/stats", "/telemetry/proxy/"], client_drop_p0s: true };
function agentAnswer(r: Received) {
  const path = r.url.split("?")[0];
  if (path === "/info") return { status: 200, body: JSON.stringify(AGENT_INFO) };
  if (path === "/v0.7/config") return { status: 200, body: "{}" };
  return undefined;
}

const APM: RcConfig = {
  product: "APM_TRACING",
  id: "e2e-sampling",
  version: 3,
  content: { id: "e2e-sampling", revision: 1, schema_version: "v1.0.0", service_target: { service: "e2e-rc-app", env: "*" }, sdk_config: { config: { DD_TRACE_SAMPLE_RATE: "0.5" } } },
};
// A product the tracer did not subscribe to: the products gating must keep it from the tracer.
const ASM: RcConfig = { product: "ASM_DD", id: "e2e-rules", version: 1, content: { version: "2.2", rules: [] } };

test(`dd-trace@${TRACER_MAJOR} sees /info as the internal mocks make it, and applies a remote-config payload delivered by a StaticJson mock`, async () => {
  const agent = await startTestAgent(agentAnswer);
  const mocksFolder = tempDir("st-proxy-mocks-");
  // As ProxyContainer.configure writes it for a scenario with rc_api_enabled (json.dump, indent=2).
  writeFileSync(
    join(mocksFolder, "internal_mocked_tracer_responses.json"),
    JSON.stringify([{ type: "SetSpanEventFlags", span_events: true }, { type: "AddRemoteConfigEndpoint" }], null, 2),
  );
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`, "--mocks-folder", mocksFolder], { listeners: ["library", "commands"] });
  const payload = buildRcPayload([APM, ASM], { targetsVersion: 7, opaqueBackendState: Buffer.from('{"e2e": true}').toString("base64") });

  let appOut = "";
  let app: ReturnType<typeof spawn> | undefined;
  try {
    // What utils/_remote_config.py sends: StaticJsonMockedTracerResponse(path="/v0.7/config", mocked_json=...).send()
    const put = await request(`http://127.0.0.1:${proxy.ports.commands}/mocked_tracer_responses`, {
      method: "PUT",
      body: JSON.stringify([{ type: "StaticJsonMockedTracerResponse", path: "/v0.7/config", mocked_json: payload, status_code: 200 }]),
      headers: { "content-type": "application/json" },
    });
    assert.deepEqual([put.statusCode, await put.body.text()], [200, "Ok"]);

    app = spawn(process.execPath, [join(ROOT, "test", "fixtures", "dd-trace-rc-app.cjs")], {
      env: {
        PATH: process.env.PATH,
        DD_TRACE_AGENT_URL: `http://127.0.0.1:${proxy.ports.library}`,
        DD_SERVICE: "e2e-rc-app",
        DD_ENV: "system-tests",
        DD_REMOTE_CONFIGURATION_ENABLED: "true",
        DD_REMOTE_CONFIG_POLL_INTERVAL_SECONDS: "0.2",
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: "false",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    app.stdout!.on("data", (c: Buffer) => (appOut += c));
    app.stderr!.on("data", (c: Buffer) => (appOut += c));
    let exited = false;
    app.on("exit", () => (exited = true));

    // Wait for a poll that reports the applied config (the tracer's next poll after the payload).
    const polls = () => readDumps(proxy.logFolder, "library").filter((d) => d.path === "/v0.7/config");
    await waitUntil(
      () => {
        if (exited) throw new Error(`the app exited early:\n${appOut}`);
        return /"agent_info"/.test(appOut) && polls().some((d) => d.request.content.client.state.config_states.length > 0);
      },
      () => `dd-trace's agent_info line and a poll reporting the config applied (${polls().length} polls so far); the app printed:\n${appOut}`,
      60_000,
      100,
    );

    // /info: the agent's answer, edited by the internal mocks, is what dd-trace's client parsed.
    const { agent_info: info, tracer_version: tracerVersion } = JSON.parse(appOut.split("\n").find((l) => l.includes('"agent_info"'))!);
    assert.equal(Number(tracerVersion.split(".")[0]), TRACER_MAJOR, `the fixture loaded dd-trace ${tracerVersion}`);
    assert.deepEqual(info, { ...AGENT_INFO, endpoints: [...AGENT_INFO.endpoints, "/v0.7/config"], span_events: true });
    const infoDump = readDumps(proxy.logFolder, "library").find((d) => d.path === "/info");
    assert.deepEqual(infoDump.response.content, info);

    // The first poll got the payload, gated to the subscribed products; the agent had said "{}".
    const [first, ...later] = polls();
    assert.ok(first.request.content.client.products.includes("APM_TRACING"));
    assert.ok(!first.request.content.client.products.includes("ASM_DD"), "the tracer did not subscribe to ASM_DD");
    assert.deepEqual(first.request.content.client.state.config_states, []);
    assert.equal(first.response.status_code, 200);
    assert.deepEqual(first.response.content, { targets: payload.targets, target_files: [payload.target_files[0]], client_configs: [rcPath(APM)] });

    // The next poll reports the config applied and acknowledged, the target file cached.
    const applied = later.find((d) => d.request.content.client.state.config_states.length > 0);
    const state = applied.request.content.client.state;
    assert.deepEqual(state.config_states, [{ id: "e2e-sampling", version: 3, product: "APM_TRACING", apply_state: 2, apply_error: "" }]);
    assert.equal(state.targets_version, 7);
    assert.equal(state.backend_client_state, Buffer.from('{"e2e": true}').toString("base64"));
    assert.equal(state.has_error, false, state.error);
    const file = Buffer.from(JSON.stringify(APM.content));
    assert.deepEqual(applied.request.content.cached_target_files, [{ path: rcPath(APM), length: file.length, hashes: [{ algorithm: "sha256", hash: sha256Hex(file) }] }]);

    // The agent received every poll as the tracer sent it.
    assert.equal(agent.received.filter((r) => r.url === "/v0.7/config").length, polls().length);
  } finally {
    if (app && app.exitCode === null && app.signalCode === null) {
      const gone = new Promise((r) => app!.once("exit", r));
      app.kill("SIGTERM");
      await gone;
    }
    await proxy.stop();
    await agent.close();
  }
});
