// replay send against a stand-in agent: every recorded request arrives, in order, with its
// recorded body; each answer is reported as the same as recorded or not.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, SHARED_PRESENT } from "../helpers/shared.js";
import { writeCorpusRecording, type CorpusFlow } from "./corpus-flows.js";
import { bareEnv } from "./session.js";

const work = mkdtempSync(join(tmpdir(), "st-proxy-send-"));
after(() => rmSync(work, { recursive: true, force: true }));

interface Arrival {
  method: string;
  url: string;
  body: Buffer;
}

/** A stand-in agent that keeps what arrives and answers the i-th request with answer(i). */
async function standIn(answer: (i: number) => { status: number; headers: [string, string][]; body: Buffer }): Promise<{ server: Server; url: string; arrivals: Arrival[] }> {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const a = answer(arrivals.length);
      arrivals.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks) });
      res.writeHead(a.status, a.headers.flat()).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals };
}

/** The recorded answer, with only the headers that say how to read its body. */
function recordedAnswer(flow: CorpusFlow) {
  const r = flow.response!;
  const headers = r.headers.filter(([n]) => ["content-type", "content-encoding"].includes(n.toLowerCase()));
  return { status: r.status_code, headers, body: Buffer.from(r.body_b64, "base64") };
}

function sendTo(flowsDir: string, url: string, ...extra: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, "replay", "send", flowsDir, "--target", url, ...extra], { env: bareEnv(), maxBuffer: 16 << 20 }, (error, stdout) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

if (!SHARED_PRESENT) {
  test("replay send: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  // Exchanges that had an answer (one without cannot be answered "as recorded").
  const flowsDir = join(work, "flows");
  const flows = writeCorpusRecording(flowsDir, (f) => f.response !== null);

  test("replay send: all requests arrive in order with their recorded bodies; answers as recorded are reported so", async () => {
    assert.ok(flows.length >= 10, `only ${flows.length} library cases`);
    const agent = await standIn((i) => recordedAnswer(flows[i]));
    try {
      const { code, stdout } = await sendTo(flowsDir, agent.url);
      assert.deepEqual(
        agent.arrivals.map((a) => [a.method, a.url]),
        flows.map((f) => [f.method, f.path]),
      );
      agent.arrivals.forEach((a, i) => assert.ok(a.body.equals(flows[i].requestBody), `${flows[i].case}: body differs from the recorded one`));
      const lines = stdout.trim().split("\n");
      assert.equal(lines.length, flows.length + 1);
      lines.slice(0, -1).forEach((line, i) => assert.match(line, /^same {4}/, `${flows[i].case}: ${line}`));
      assert.match(lines.at(-1)!, new RegExp(`: ${flows.length} answered as recorded, 0 differ, 0 failed`));
      assert.equal(code, 0);
    } finally {
      agent.server.close();
    }
  });

  test("replay send: an answer with another status or body is reported as differing, and the exit code says so", async () => {
    // Every third request gets a 503; every third from the second one gets the right status with another body.
    const agent = await standIn((i) => {
      const recorded = recordedAnswer(flows[i]);
      if (i % 3 === 0) return { status: 503, headers: [["Content-Type", "text/plain"]], body: Buffer.from("overloaded") };
      if (i % 3 === 1) return { status: recorded.status, headers: [["Content-Type", "application/json"]], body: Buffer.from('{"unexpected": [1, 2]}') };
      return recorded;
    });
    try {
      const { code, stdout } = await sendTo(flowsDir, agent.url);
      const lines = stdout.trim().split("\n");
      flows.forEach((f, i) => {
        const line = lines[i];
        if (i % 3 === 0) assert.match(line, new RegExp(`^DIFFERS .*: status ${f.response!.status_code} → 503; body differs`), f.case);
        else if (i % 3 === 1) assert.match(line, /^DIFFERS .*: body differs/, f.case);
        else assert.match(line, /^same /, f.case);
      });
      const differing = flows.filter((_, i) => i % 3 !== 2).length;
      assert.match(lines.at(-1)!, new RegExp(`: ${flows.length - differing} answered as recorded, ${differing} differ, 0 failed`));
      assert.equal(code, 1);
    } finally {
      agent.server.close();
    }
  });

  test("replay send: a target that refuses connections is reported per request, exit code 1", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stdout } = await sendTo(flowsDir, url);
    assert.equal(stdout.split("\n").filter((l) => l.startsWith("FAILED ")).length, flows.length);
    assert.equal(code, 1);
  });
}

test("replay send --pace: requests leave as far apart as they were recorded", async () => {
  // Two hand-written records 600 ms apart (timestamps written out by hand).
  const dir = join(work, "paced", "library");
  mkdirSync(dir, { recursive: true });
  const record = (time: string, body: string) => ({
    interface: "library",
    method: "PUT",
    path: "/v0.4/traces",
    host: "agent",
    port: 8127,
    timestamp_start: time,
    request: { headers: [["Content-Type", "text/plain"]], body_b64: Buffer.from(body).toString("base64") },
    response: { status_code: 200, headers: [["Content-Type", "text/plain"]], body_b64: Buffer.from("OK").toString("base64") },
  });
  writeFileSync(join(dir, "00000__v0.4_traces.flow.json"), JSON.stringify(record("2026-11-26T15:25:40.100000Z", "first")));
  writeFileSync(join(dir, "00001__v0.4_traces.flow.json"), JSON.stringify(record("2026-11-26T15:25:40.700000Z", "second")));
  const times: number[] = [];
  const agent = await standIn(() => {
    times.push(performance.now());
    return { status: 200, headers: [["Content-Type", "text/plain"]], body: Buffer.from("OK") };
  });
  try {
    // Taken before the command starts: pacing sends the second request no sooner than 600 ms
    // after the command's own start, so it cannot arrive sooner than 600 ms after this, however
    // slow the machine (a gap between arrivals would shrink when the first one is slow to
    // connect). Only the timers' millisecond rounding is allowed for.
    const before = performance.now();
    const { code } = await sendTo(join(work, "paced"), agent.url, "--pace");
    assert.equal(code, 0);
    assert.deepEqual(agent.arrivals.map((a) => a.body.toString()), ["first", "second"]);
    assert.ok(times[1] - before >= 595, `the second request arrived ${Math.round(times[1] - before)} ms after the start, before its recorded 600`);
  } finally {
    agent.server.close();
  }
});
