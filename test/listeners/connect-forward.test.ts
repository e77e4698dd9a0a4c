// The proxy listeners forwarding: the tunnel's requests go on to the CONNECT target over TLS
// (here a local https server with a test CA st-proxy is told to trust) and the real answer comes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createHttpsServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { closedPort } from "../helpers/closed-port.js";
import { startServe, tempDir } from "../helpers/serve.js";
import { curl, makeTestPki, waitForDumps, type TestPki } from "../helpers/tls.js";

/** A stand-in backend: answers with what it received, and a header of its own. */
async function startBackend(pki: TestPki): Promise<{ server: Server; port: number; seen: { method: string; url: string; host: string; body: string }[] }> {
  const seen: { method: string; url: string; host: string; body: string }[] = [];
  const server = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, host: req.headers.host!, body: Buffer.concat(chunks).toString() });
      const body = JSON.stringify({ backend: "real", got: Buffer.concat(chunks).length });
      res.writeHead(207, { "Content-Type": "application/json", "X-Backend": "stand-in" }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

test("forwarding: curl through CONNECT reaches the real backend over TLS; the dump has its answer and the CONNECT target", async () => {
  const pki = await makeTestPki();
  const backend = await startBackend(pki);
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir, "--upstream-ca", pki.caCertFile], { listeners: ["agent"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-i", "-H", "Content-Type: text/plain", "--data-binary", "hello backend", `https://localhost:${backend.port}/api/v2/logs?ddsource=x`]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /HTTP\/1\.1 207 /);
    assert.match(res.stdout, /X-Backend: stand-in/i);
    assert.match(res.stdout, /\{"backend":"real","got":13\}$/);
    assert.deepEqual(backend.seen, [{ method: "POST", url: "/api/v2/logs?ddsource=x", host: `localhost:${backend.port}`, body: "hello backend" }]);
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.deepEqual([dump.host, dump.port, dump.path, dump.query, dump.response.status_code], ["localhost", backend.port, "/api/v2/logs", "ddsource=x", 207]);
    assert.equal(dump.request.content, "hello backend");
    assert.deepEqual(dump.response.content, { backend: "real", got: 13 });
  } finally {
    await proxy.stop();
    backend.server.close();
  }
});

test("forwarding verifies the backend's certificate: without --upstream-ca the test backend is refused (502, dumped)", async () => {
  const pki = await makeTestPki();
  const backend = await startBackend(pki);
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir], { listeners: ["agent"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", " %{http_code}", `https://localhost:${backend.port}/api/v2/series`]);
    assert.match(res.stdout, / 502$/);
    assert.deepEqual(backend.seen, []);
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.equal(dump.response.status_code, 502);
    assert.match(dump.response.content, /certificate/i);
  } finally {
    await proxy.stop();
    backend.server.close();
  }
});

test("an unreachable backend: the client gets 502, and the exchange is dumped with the CONNECT target", async () => {
  const port = await closedPort();
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir], { listeners: ["agent"] });
  try {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", " %{http_code}", "--data-binary", "{}", `https://127.0.0.1:${port}/api/v0.2/traces`]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /ECONNREFUSED.* 502$/s);
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.deepEqual([dump.host, dump.port, dump.response.status_code], ["127.0.0.1", port, 502]);
    assert.match(proxy.output(), /ECONNREFUSED/);
  } finally {
    await proxy.stop();
  }
});
