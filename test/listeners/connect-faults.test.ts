// Faults on the proxy listeners: each is logged clearly, nothing is lost, and the listener goes
// on serving the next client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServe, tempDir, type ServeProcess } from "../helpers/serve.js";
import { curl, waitForDumps } from "../helpers/tls.js";

/** Opens a CONNECT tunnel by hand; resolves with the socket once the proxy said 200. */
function openTunnel(port: number, target: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      if (head.startsWith("HTTP/1.1 200 ")) resolve(socket);
      else reject(new Error(head));
    };
    socket.on("data", onData);
    socket.on("error", reject);
  });
}

/** Resolves when the proxy closes the socket. */
const closedByProxy = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));

async function withProxy(body: (proxy: ServeProcess, confdir: string) => Promise<void>): Promise<void> {
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir, "--mocked-backend"], { listeners: ["agent"] });
  try {
    await body(proxy, confdir);
  } finally {
    assert.equal(await proxy.stop(), 0);
  }
}

/** The listener still serves a verified TLS request. */
async function stillServes(proxy: ServeProcess, confdir: string): Promise<void> {
  const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", " %{http_code}", "https://api.datadoghq.com/api/v1/series"]);
  assert.equal(res.stdout, "Ok 202", res.stderr);
}

test("a client not speaking TLS (nor HTTP) after CONNECT: logged, tunnel closed, others served", async () => {
  await withProxy(async (proxy, confdir) => {
    const socket = await openTunnel(proxy.ports.agent, "api.datadoghq.com:443");
    socket.write(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x68, 0x69]));
    await closedByProxy(socket);
    assert.match(proxy.output(), /agent: CONNECT api\.datadoghq\.com:443: client is not speaking TLS nor HTTP after CONNECT/);
    await stillServes(proxy, confdir);
  });
});

test("a garbage client hello: the TLS failure is logged, the tunnel closed, others served", async () => {
  await withProxy(async (proxy, confdir) => {
    const socket = await openTunnel(proxy.ports.agent, "api.datadoghq.com:443");
    // A TLS handshake record header, then bytes that are no ClientHello.
    socket.write(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x20]), Buffer.alloc(32, 0x41)]));
    await closedByProxy(socket);
    assert.match(proxy.output(), /agent: CONNECT api\.datadoghq\.com:443: TLS handshake with the client failed/);
    await stillServes(proxy, confdir);
  });
});

test("a client that drops mid-body inside the tunnel: the partial exchange is dumped (no response), others served", async () => {
  await withProxy(async (proxy, confdir) => {
    const raw = await openTunnel(proxy.ports.agent, "intake.profile.datadoghq.com:443");
    const tls = tlsConnect({ socket: raw, servername: "intake.profile.datadoghq.com", ca: readFileSync(join(confdir, "mitmproxy-ca-cert.pem"), "utf8") });
    await new Promise<void>((resolve, reject) => tls.once("secureConnect", resolve).once("error", reject));
    // "Expect: 100-continue" makes the proxy say when it has the request head: then drop mid-body.
    tls.write("POST /api/v2/profile HTTP/1.1\r\nHost: intake.profile.datadoghq.com\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
    await new Promise<void>((resolve) => tls.once("data", (chunk: Buffer) => (assert.match(chunk.toString(), /^HTTP\/1\.1 100 /), resolve())));
    tls.write('{"partial":');
    tls.destroy();
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.deepEqual([dump.host, dump.port, dump.path, dump.response], ["intake.profile.datadoghq.com", 443, "/api/v2/profile", null]);
    await stillServes(proxy, confdir);
  });
});

test("a body that fails to decode: answered normally, dumped with raw_content and traceback", async () => {
  await withProxy(async (proxy, confdir) => {
    const res = await curl(["-x", `http://127.0.0.1:${proxy.ports.agent}`, "--cacert", join(confdir, "mitmproxy-ca-cert.pem"), "-w", " %{http_code}", "-H", "Content-Type: application/json", "--data-binary", '{"unfinished": ', "https://http-intake.logs.datadoghq.com/api/v2/logs"]);
    assert.equal(res.stdout, "Ok 202");
    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.equal(dump.request.content, undefined);
    assert.equal(typeof dump.request.raw_content, "string");
    assert.match(dump.request.traceback, /\S/);
    assert.equal(dump.response.status_code, 202);
  });
});

test("a bad CONNECT target is refused with 400, and the listener goes on", async () => {
  await withProxy(async (proxy, confdir) => {
    const socket = connect(proxy.ports.agent, "127.0.0.1");
    socket.write("CONNECT no-port-here HTTP/1.1\r\nHost: x\r\n\r\n");
    let answer = "";
    socket.on("data", (c: Buffer) => (answer += c.toString()));
    await closedByProxy(socket);
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(proxy.output(), /bad CONNECT target "no-port-here"/);
    await stillServes(proxy, confdir);
  });
});

test("a tunnel left open without a handshake does not hold up others nor the shutdown", async () => {
  await withProxy(async (proxy, confdir) => {
    const idle = await openTunnel(proxy.ports.agent, "api.datadoghq.com:443");
    await stillServes(proxy, confdir);
    assert.equal(idle.destroyed, false);
    // withProxy's stop() must end with exit code 0 although this tunnel is still open.
  });
});
