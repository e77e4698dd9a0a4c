// The proxy listeners with SYSTEM_TESTS_MOCKED_BACKEND=True: curl through CONNECT, verified
// against the confdir's CA, answered locally as the reference does, dumped with the CONNECT target.
import { test } from "node:test";
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { availableInterfaces, startServe as startInProcess } from "../../src/serve/app.js";
import { parseServeConfig } from "../../src/config.js";
import { startServe, tempDir } from "../helpers/serve.js";
import { SHARED_PRESENT } from "../helpers/shared.js";
import { SHARED_CA_DIR, confdirWithSharedCa, curl, waitForDumps } from "../helpers/tls.js";

const INTAKE = "https://trace.agent.datadoghq.com";

test("mocked backend with the system-tests CA: curl verifies the leaf, gets the reference's answers; dumps name the CONNECT target", { skip: !SHARED_PRESENT && "../shared (with the system-tests CA) is absent" }, async () => {
  const confdir = confdirWithSharedCa();
  const proxy = await startServe(["--confdir", confdir], { listeners: ["agent"], env: { SYSTEM_TESTS_MOCKED_BACKEND: "True" } });
  try {
    const via = ["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--cacert", join(SHARED_CA_DIR, "mitmproxy-ca-cert.pem")];
    // Three requests in one curl: one tunnel, kept alive.
    const res = await curl([
      ...via, "-i", "-H", "Content-Type: application/x-protobuf", "--data-binary", "payload", `${INTAKE}/api/v0.2/traces`,
      "--next", ...via, "-i", "--data-binary", "flare", `${INTAKE}/support/flare`,
      "--next", ...via, "-i", `${INTAKE}/api/v1/validate?x=1`,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const answers = res.stdout.split(/(?=HTTP\/1\.1 \d{3} )/).filter((a) => !a.startsWith("HTTP/1.1 200 Connection"));
    assert.equal(answers.length, 3, res.stdout);
    assert.match(answers[0], /^HTTP\/1\.1 202 /);
    assert.match(answers[0], /\r\n\r\nOk$/);
    assert.match(answers[1], /^HTTP\/1\.1 200 /);
    assert.match(answers[1], /\r\n\r\nOk$/);
    assert.match(answers[2], /^HTTP\/1\.1 200 /);
    assert.match(answers[2], /content-type: application\/json/i);
    assert.match(answers[2], /\r\n\r\n\{"valid": true\}$/);

    const dumps = await waitForDumps(proxy.logFolder, "agent", 3);
    assert.deepEqual(dumps.map((d) => [d.host, d.port, d.method, d.path, d.query, d.response.status_code]), [
      ["trace.agent.datadoghq.com", 443, "POST", "/api/v0.2/traces", "", 202],
      ["trace.agent.datadoghq.com", 443, "POST", "/support/flare", "", 200],
      ["trace.agent.datadoghq.com", 443, "GET", "/api/v1/validate", "x=1", 200],
    ]);
    assert.deepEqual(dumps[2].response.content, { valid: true });
    assert.match(dumps[0].log_filename, /interfaces\/agent\/00000__api_v0\.2_traces\.json$/);
  } finally {
    assert.equal(await proxy.stop(), 0);
  }
});

test("an empty confdir: st-proxy creates the CA there (key 0600) and clients trusting it connect", async () => {
  const confdir = join(tempDir(), "conf");
  const proxy = await startServe(["--confdir", confdir, "--mocked-backend"], { listeners: ["datadog_sidecar", "datadog_direct"] });
  try {
    assert.equal(statSync(join(confdir, "mitmproxy-ca.pem")).mode & 0o777, 0o600);
    assert.match(proxy.output(), /created a CA/);
    for (const iface of ["datadog_sidecar", "datadog_direct"]) {
      const res = await curl(["-x", `http://127.0.0.1:${proxy.ports[iface]}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", "%{http_code}", "--data-binary", "{}", "https://http-intake.logs.datadoghq.com:8443/api/v2/logs"]);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, "Ok202");
      const [dump] = await waitForDumps(proxy.logFolder, iface, 1);
      assert.equal(dump.host, "http-intake.logs.datadoghq.com");
      assert.equal(dump.port, 8443);
    }
  } finally {
    await proxy.stop();
  }
});

test("a client that does not trust the CA is refused by its own verification (interception is real TLS)", async () => {
  const proxy = await startServe(["--confdir", tempDir(), "--mocked-backend"], { listeners: ["agent"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, `${INTAKE}/api/v0.2/traces`]);
    assert.equal(res.code, 60, res.stderr); // curl: peer certificate cannot be authenticated
  } finally {
    await proxy.stop();
  }
});

test("absolute-form http:// proxy requests are answered the same way and dumped with their origin", async () => {
  const proxy = await startServe(["--confdir", tempDir(), "--mocked-backend"], { listeners: ["agent"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "-w", " %{http_code}", "--data-binary", "x", "http://intake.example:8080/api/v2/series?a=b"]);
    assert.equal(res.stdout, "Ok 202");
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.deepEqual([dump.host, dump.port, dump.path, dump.query], ["intake.example", 8080, "/api/v2/series", "a=b"]);
    // An origin-form request is not a proxy request: refused, not dumped.
    const plain = await curl(["-w", " %{http_code}", `http://127.0.0.1:${proxy.ports.agent}/api/v2/series`]);
    assert.match(plain.stdout, / 400$/);
  } finally {
    await proxy.stop();
  }
});

test("plain HTTP inside a CONNECT tunnel (curl --proxytunnel http://) is served and dumped with the CONNECT target", async () => {
  const proxy = await startServe(["--confdir", tempDir(), "--mocked-backend"], { listeners: ["agent"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--proxytunnel", "-w", " %{http_code}", "--data-binary", "x", "http://intake.example:8126/api/v2/apmtelemetry"]);
    assert.equal(res.stdout, "Ok 202", res.stderr);
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.deepEqual([dump.host, dump.port, dump.path], ["intake.example", 8126, "/api/v2/apmtelemetry"]);
  } finally {
    await proxy.stop();
  }
});

test("otel_collector, mocked: every request accepted with 200 Ok, dumped with the CONNECT target", async () => {
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir, "--mocked-backend"], { listeners: ["otel_collector"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.otel_collector}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", " %{http_code}", "--data-binary", "{}", "https://api.datadoghq.com/api/v2/series"]);
    assert.equal(res.stdout, "Ok 200", res.stderr);
    const [dump] = await waitForDumps(proxy.logFolder, "otel_collector", 1);
    assert.deepEqual([dump.host, dump.port, dump.path], ["api.datadoghq.com", 443, "/api/v2/series"]);
  } finally {
    await proxy.stop();
  }
});

test("a backend mock (hooks.answerLocally) wins over the default mocked answers", async () => {
  const confdir = tempDir();
  const logFolder = tempDir();
  const config = parseServeConfig(["--listen-host", "127.0.0.1", "--port", "agent=0", "--listeners", "agent", "--log-folder", logFolder, "--confdir", confdir, "--mocked-backend"], {}, availableInterfaces());
  assert.notEqual(config, "help");
  const body = Buffer.from('{"mocked": 1}');
  const proxy = await startInProcess(config as Exclude<typeof config, "help">, {
    env: {},
    log: () => {},
    hooks: { answerLocally: (incoming) => (incoming.target === "/api/v2/series" ? { statusCode: 201, headers: [["Content-Type", "application/json"]], body } : undefined) },
  });
  try {
    const via = ["-x", `http://127.0.0.1:${proxy.listening[0].port}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", " %{http_code}"];
    assert.equal((await curl([...via, "https://api.datadoghq.com/api/v2/series"])).stdout, '{"mocked": 1} 201');
    assert.equal((await curl([...via, "https://api.datadoghq.com/api/v2/other"])).stdout, "Ok 202");
    const dumps = await waitForDumps(logFolder, "agent", 2);
    assert.deepEqual(dumps[0].response.content, { mocked: 1 });
    assert.equal(dumps[0].host, "api.datadoghq.com");
  } finally {
    await proxy.shutdown();
  }
});
