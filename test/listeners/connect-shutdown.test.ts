// A shutdown must not wait on clients that keep tunnels open: neither a tunnel idle between
// requests nor one whose TLS handshake is done but which never sent a request. (The inner HTTP
// server that serves tunnels tracks none of its connections, so st-proxy tracks them itself.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServe, tempDir } from "../helpers/serve.js";
import { within } from "../helpers/wait.js";

/** CONNECT through the proxy, then TLS with the confdir's CA: the tunnel's client side. */
function openTunnel(port: number, ca: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const raw: Socket = netConnect(port, "127.0.0.1", () => raw.write("CONNECT trace.agent.datadoghq.com:443 HTTP/1.1\r\nHost: trace.agent.datadoghq.com:443\r\n\r\n"));
    raw.once("data", (chunk: Buffer) => {
      if (!chunk.toString().startsWith("HTTP/1.1 200")) return reject(new Error(chunk.toString()));
      const tls = tlsConnect({ socket: raw, servername: "trace.agent.datadoghq.com", ca }, () => resolve(tls));
      tls.on("error", () => {});
    });
    raw.on("error", reject);
  });
}

function request(tls: TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (c: Buffer) => {
      text += c.toString();
      if (/\r\n\r\nOk$/.test(text)) {
        tls.off("data", onData);
        resolve(text);
      }
    };
    tls.on("data", onData);
    tls.write("POST /api/v0.2/traces HTTP/1.1\r\nHost: trace.agent.datadoghq.com\r\nContent-Length: 2\r\n\r\nhi");
  });
}

test("SIGTERM with a tunnel idle after a request and one never used: both are closed, serve exits 0 well before their idle timeout", async () => {
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir, "--mocked-backend"], { listeners: ["agent"] });
  try {
    const ca = readFileSync(join(confdir, "mitmproxy-ca-cert.pem"), "utf8");
    const used = await within(openTunnel(proxy.ports.agent, ca), "a first tunnel (CONNECT and TLS)");
    assert.match(await within(request(used), "the mocked backend's answer through the tunnel"), /^HTTP\/1\.1 202 /);
    const unused = await within(openTunnel(proxy.ports.agent, ca), "a second tunnel (CONNECT and TLS)");
    const closed = (s: TLSSocket) => new Promise<void>((r) => (s.destroyed ? r() : s.once("close", () => r())));
    // The tunnels' keep-alive timeout is 60 s: without closing them, the exit would wait that long,
    // so waiting at most half of it tells a closed tunnel from one left to time out.
    const code = await within(proxy.stop("SIGTERM"), "serve to exit after SIGTERM with two idle tunnels open", 30_000);
    await within(Promise.all([closed(used), closed(unused)]), "both tunnels to be closed by serve", 30_000);
    assert.equal(code, 0);
  } finally {
    await proxy.stop();
  }
});
