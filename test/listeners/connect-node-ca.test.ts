// A Node client that trusts st-proxy's CA the way containers do it (NODE_EXTRA_CA_CERTS), through
// a real CONNECT tunnel: no certificate error, no warning; and without the CA, a refusal (so the
// first result is verification passing, not verification switched off).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startServe, tempDir } from "../helpers/serve.js";
import { ROOT } from "../helpers/shared.js";
import { readDumps } from "../helpers/dumps.js";

const CLIENT = `
import { ProxyAgent, request } from "undici";
try {
  const res = await request("https://trace.agent.datadoghq.com/api/v0.2/traces", {
    dispatcher: new ProxyAgent(process.env.PROXY_URL), method: "POST", body: "payload",
    headers: { "content-type": "application/x-protobuf" },
  });
  console.log(JSON.stringify({ status: res.statusCode, body: await res.body.text() }));
} catch (error) {
  console.log(JSON.stringify({ error: String(error.cause?.code ?? error.code ?? error.message) }));
}`;

function client(env: Record<string, string>): Promise<{ out: any; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("exit", () => resolve({ out: JSON.parse(out.trim() || "{}"), stderr }));
  });
}

test("a Node client with NODE_EXTRA_CA_CERTS set to the confdir's CA goes through the agent listener without warnings", async () => {
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir, "--mocked-backend"], { listeners: ["agent"] });
  try {
    const trusted = await client({ PROXY_URL: `http://127.0.0.1:${proxy.ports.agent}`, NODE_EXTRA_CA_CERTS: join(confdir, "mitmproxy-ca-cert.pem") });
    assert.deepEqual(trusted.out, { status: 202, body: "Ok" });
    assert.equal(trusted.stderr, "", "no warning");

    const untrusted = await client({ PROXY_URL: `http://127.0.0.1:${proxy.ports.agent}` });
    assert.match(untrusted.out.error ?? "", /CERT|SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/, JSON.stringify(untrusted.out));

    await proxy.stop();
    const dumps = readDumps(proxy.logFolder, "agent");
    assert.equal(dumps.length, 1, "the refused handshake made no exchange");
    assert.equal(dumps[0].host, "trace.agent.datadoghq.com");
    assert.equal(dumps[0].port, 443);
  } finally {
    await proxy.stop();
  }
});
