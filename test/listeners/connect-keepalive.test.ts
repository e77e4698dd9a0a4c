// Many requests in one kept-alive tunnel, sent the way the Lambda extension sends them: an
// undici ProxyAgent (CONNECT + TLS), gzip and zstd AgentPayloads from the corpus.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, connect, type AddressInfo, type Server } from "node:net";
import { ProxyAgent, request } from "undici";
import { startServe, tempDir } from "../helpers/serve.js";
import { CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";
import { waitForDumps } from "../helpers/tls.js";
import { recordedFlows } from "../helpers/flows.js";

/** A TCP relay in front of the proxy that counts client connections (one per tunnel). */
async function countingRelay(port: number): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((client) => {
    count++;
    const upstream = connect(port, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

function corpusRequest(name: string): { headers: Record<string, string>; body: Buffer } {
  const flow = JSON.parse(readFileSync(join(CORPUS_CASES, `${name}.flow.json`), "utf8"));
  const headers: Record<string, string> = {};
  // Framing and connection headers are undici's to set.
  for (const [k, v] of flow.request.headers as [string, string][]) if (!["host", "content-length", "connection"].includes(k.toLowerCase())) headers[k] = v;
  return { headers, body: Buffer.from(flow.request.body_b64, "base64") };
}

test("gzip and zstd AgentPayloads through one kept-alive tunnel: one CONNECT, every request dumped with its bytes and the CONNECT target", { skip: !SHARED_PRESENT && "../shared (corpus) is absent" }, async () => {
  const confdir = tempDir();
  const proxy = await startServe(["--confdir", confdir, "--mocked-backend"], { listeners: ["agent"] });
  const relay = await countingRelay(proxy.ports.agent);
  // One connection per origin: a second tunnel can then only come from the proxy closing the first.
  // (A pool may open another one when a request is dispatched the very tick a body resolves.)
  const dispatcher = new ProxyAgent({ uri: `http://127.0.0.1:${relay.port}`, connections: 1, requestTls: { ca: readFileSync(join(confdir, "mitmproxy-ca-cert.pem"), "utf8") } });
  try {
    const sent = [corpusRequest("030-agent-traces-gzip-appsec-metastruct"), corpusRequest("031-agent-traces-idx-zstd"), corpusRequest("030-agent-traces-gzip-appsec-metastruct")];
    for (const { headers, body } of sent) {
      const res = await request("https://trace.agent.datadoghq.com/api/v0.2/traces", { method: "POST", headers, body, dispatcher });
      assert.equal(res.statusCode, 202);
      assert.equal(await res.body.text(), "Ok");
    }
    assert.equal(relay.connections(), 1);

    const dumps = await waitForDumps(proxy.logFolder, "agent", 3);
    for (const [i, dump] of dumps.entries()) {
      assert.deepEqual([dump.host, dump.port, dump.method, dump.path], ["trace.agent.datadoghq.com", 443, "POST", "/api/v0.2/traces"]);
      const encoding = dump.request.headers.find(([k]: [string]) => k.toLowerCase() === "content-encoding")[1];
      assert.equal(encoding, i === 1 ? "zstd" : "gzip");
      // The flow record keeps the body exactly as on the wire.
      const flow = recordedFlows(proxy.logFolder, "agent").find((f) => f.log_filename === dump.log_filename)!;
      assert.equal(flow.request.body_b64, sent[i].body.toString("base64"));
      assert.equal(flow.host, "trace.agent.datadoghq.com");
    }
  } finally {
    // Stopped while the client still holds its idle tunnel: the shutdown closes it, and ends.
    assert.equal(await proxy.stop(), 0);
    await dispatcher.close();
    relay.server.close();
  }
});
