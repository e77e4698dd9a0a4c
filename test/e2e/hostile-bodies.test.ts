// Issue 9: hostile input is normal input. A seeded fuzz run of a few thousand bodies through a
// real `st-proxy serve` (tracer and agent listeners, a real upstream), across every decoder
// path, content type and encoding, malformed on purpose. Whatever the body: the process lives,
// every exchange is dumped exactly once with gapless numbers, every dump is valid JSON, the
// upstream receives every body unchanged and the client gets the upstream's answer unchanged,
// st-proxy reports no defect of its own, and memory stays bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import JSON5 from "json5";
import { Pool } from "undici";
import { startServe } from "../helpers/serve.js";
import { dumpFiles } from "../helpers/dumps.js";
import { hostileRequests } from "../helpers/hostile-bodies.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const COUNT = Number(process.env.FUZZ_COUNT ?? 2500);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

test(`hostile bodies: ${COUNT} seeded malformed requests (seed ${SEED}) are forwarded untouched and each dumped once`, async () => {
  const requests = hostileRequests(SEED, COUNT);
  // The upstream keeps what it received per request, and answers bytes of its own per request.
  const received = new Map<string, string>();
  const answerFor = (id: string) => Buffer.from(`{"rate_by_service": {}, "id": ${JSON.stringify(id)}}`);
  const upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = String(req.headers["x-fuzz-id"]);
      received.set(id, sha(Buffer.concat(chunks)));
      const body = answerFor(id);
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length }).end(body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upPort = (upstream.address() as AddressInfo).port;
  // A small decoding limit, so that the bombs pass it.
  const proxy = await startServe(["--agent-target", `127.0.0.1:${upPort}`, "--max-body-size", "4"], { listeners: ["library", "agent"] });
  const sent = { library: 0, agent: 0 };
  const wrongAnswers: string[] = [];
  let peakRssMb = 0;
  try {
    const pools = { library: new Pool(`http://127.0.0.1:${proxy.ports.library}`, { connections: 16 }), agent: new Pool(`http://127.0.0.1:${proxy.ports.agent}`, { connections: 16 }) };
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i];
        const id = String(i);
        // Through the agent listener as an absolute-form proxy request to the same upstream.
        const path = r.via === "agent" ? `http://127.0.0.1:${upPort}${r.path}` : r.path;
        const res = await pools[r.via].request({ method: r.method, path, headers: { ...r.headers, "x-fuzz-id": id }, body: r.body.length > 0 ? r.body : undefined });
        const body = Buffer.from(await res.body.arrayBuffer());
        sent[r.via]++;
        if (res.statusCode !== 200 || !body.equals(answerFor(id))) wrongAnswers.push(`#${i} (${r.what}): ${res.statusCode} ${body.subarray(0, 200)}`);
        if (i % 200 === 0) peakRssMb = Math.max(peakRssMb, rssMb(proxy.proc.pid!));
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await pools.library.close();
    await pools.agent.close();
  } finally {
    assert.equal(await proxy.stop(), 0, `serve did not stop cleanly:\n${proxy.output().slice(-3000)}`);
    upstream.close();
  }
  assert.deepEqual(wrongAnswers.slice(0, 5), [], "the client gets the upstream's answer, byte for byte");
  assert.doesNotMatch(proxy.output(), /DEFECT|could not write/, "st-proxy reported a defect of its own");

  // The upstream got every body exactly as sent.
  assert.equal(received.size, requests.length);
  for (const [i, r] of requests.entries()) assert.equal(received.get(String(i)), sha(r.body), `#${i} (${r.what}) reached the upstream changed`);

  // Every exchange dumped once: gapless numbers, valid JSON, one dump per request id.
  for (const iface of ["library", "agent"] as const) {
    const files = dumpFiles(proxy.logFolder, iface);
    assert.equal(files.length, sent[iface], `${iface}: ${files.length} dumps for ${sent[iface]} exchanges`);
    const ids = new Set<string>();
    for (const [n, file] of files.entries()) {
      assert.equal(Number(file.split("/").pop()!.slice(0, 5)), n, `${iface}: numbers have a gap or a duplicate at ${n}`);
      let dump;
      try {
        dump = JSON5.parse(readFileSync(file, "utf8"));
      } catch (error) {
        assert.fail(`${file} is not valid JSON: ${(error as Error).message}`);
      }
      const id = dump.request.headers.find(([k]: [string]) => k === "x-fuzz-id")[1];
      ids.add(id);
      const side = dump.request;
      assert.ok("content" in side || ("raw_content" in side && "traceback" in side), `${file}: neither content nor raw_content + traceback`);
    }
    assert.equal(ids.size, files.length, `${iface}: an exchange was dumped twice`);
  }
  // Memory bounded (no timing here: a bound on what the process may hold).
  assert.ok(peakRssMb < 400, `peak RSS ${peakRssMb} MB`);
  console.log(`# peak RSS ${peakRssMb.toFixed(0)} MB`);
});

function rssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}
