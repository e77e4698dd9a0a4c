// Benchmark of `st-proxy lambda-proxy`: requests/s and latency through the proxy (HTTP request →
// event → RIE invoke → result → HTTP response) against posting a prepared event straight to the
// same RIE stand-in, at concurrency 1 and 16, reported as ratios (proxied / direct).
// The stand-in answers at once and serves invocations concurrently; the proxy serves them one at
// a time (as the real RIE requires), so at concurrency 16 the ratio includes that queue.
// Run: node --import tsx bench/lambda.ts   (BENCH_SECONDS sets each measurement's length, default 3)
import type { ChildProcess } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Pool } from "undici";
import { startChild } from "./load.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const INVOKE_PATH = "/2015-03-31/functions/function/invocations";
const EVENT_TYPE = "apigateway-rest";

/** The RIE stand-in, run in its own process so it does not share the load generator's thread. */
const STAND_IN = `
import { createServer } from "node:http";
const result = JSON.stringify({ statusCode: 200, headers: { "Content-Type": "application/json" }, body: '{"ok":true}' });
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8")); // the work a runtime does with the event
    res.writeHead(200, { "Content-Type": "application/json" }).end(result);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
`;

interface Measure {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

interface Request {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Closed loop: `concurrency` clients, each sending the next request when the last is answered. */
async function measure(origin: string, request: Request, concurrency: number, seconds: number): Promise<Measure> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const run = async (until: number, latencies: number[] | null) => {
    let errors = 0;
    const client = async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const res = await pool.request(request);
          await res.body.dump();
          if (res.statusCode !== 200) errors++;
        } catch {
          errors++;
        }
        latencies?.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    return errors;
  };
  await run(performance.now() + 1000, null); // warm-up: connections open, code optimised
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(started + seconds * 1000, latencies);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { requests: latencies.length, rps: latencies.length / elapsed, p50ms: q(0.5), p99ms: q(0.99), errors };
}

/** A request as the tests container sends one, and the event the proxy makes of it (prepared once, for the direct run). */
const CLIENT_REQUEST: Request = {
  method: "GET",
  path: "/tag_value/bench/200?x=1&x=2&q=%3Cs%3E",
  headers: { "User-Agent": "system_tests bench", Accept: "*/*", "X-Multi": "a" },
};

async function preparedEvent(): Promise<string> {
  const { buildRestEvent } = await import("../src/lambda/events/apigateway-rest.js");
  const { randomUUID } = await import("node:crypto");
  return JSON.stringify(
    buildRestEvent({
      method: "GET",
      rawPath: "/tag_value/bench/200",
      path: "/tag_value/bench/200",
      rawQuery: "x=1&x=2&q=%3Cs%3E",
      headers: [["Host", "127.0.0.1:7777"], ...Object.entries(CLIENT_REQUEST.headers)],
      body: Buffer.alloc(0),
      sourceIp: "127.0.0.1",
      protocol: "HTTP/1.1",
      listenPort: 7777,
      receivedAt: new Date(),
      requestId: randomUUID(),
    }),
  );
}

export interface LambdaBench {
  eventType: string;
  secondsEach: number;
  byConcurrency: Record<
    string,
    { direct: Measure; proxied: Measure; rpsRatio: number; p50Ratio: number; p99Ratio: number; addedP50ms: number; addedP99ms: number }
  >;
}

export async function benchLambda(seconds = Number(process.env.BENCH_SECONDS ?? 3)): Promise<LambdaBench> {
  const children: ChildProcess[] = [];
  try {
    const rie = await startChild(process.execPath, ["--input-type=module", "-e", STAND_IN], /listening (\d+)/);
    children.push(rie.proc);
    const proxy = await startChild(
      process.execPath,
      ["--import", "tsx", `${ROOT}src/cli.ts`, "lambda-proxy", "--host", "127.0.0.1", "--port", "0", "--event-type", EVENT_TYPE, "--rie-host", "127.0.0.1", "--rie-port", String(rie.port)],
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      { ...process.env, NODE_ENV: "production" },
    );
    children.push(proxy.proc);
    const event = await preparedEvent();
    const direct: Request = { method: "POST", path: INVOKE_PATH, headers: { "Content-Type": "application/json" }, body: event };
    const byConcurrency: LambdaBench["byConcurrency"] = {};
    for (const concurrency of [1, 16]) {
      const d = await measure(`http://127.0.0.1:${rie.port}`, direct, concurrency, seconds);
      const p = await measure(`http://127.0.0.1:${proxy.port}`, CLIENT_REQUEST, concurrency, seconds);
      byConcurrency[String(concurrency)] = {
        direct: d,
        proxied: p,
        rpsRatio: p.rps / d.rps,
        p50Ratio: p.p50ms / d.p50ms,
        p99Ratio: p.p99ms / d.p99ms,
        addedP50ms: p.p50ms - d.p50ms,
        addedP99ms: p.p99ms - d.p99ms,
      };
    }
    return { eventType: EVENT_TYPE, secondsEach: seconds, byConcurrency };
  } finally {
    for (const child of children) child.kill("SIGTERM");
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** Markdown table of a benchLambda() result. */
export function format(result: LambdaBench): string {
  const rows = Object.entries(result.byConcurrency).map(
    ([c, r]) =>
      `| ${c} | ${round(r.direct.rps, 0)} | ${round(r.proxied.rps, 0)} | ${round(r.rpsRatio)} | ` +
      `${round(r.direct.p50ms)} / ${round(r.direct.p99ms)} | ${round(r.proxied.p50ms)} / ${round(r.proxied.p99ms)} | ` +
      `${round(r.p50Ratio)} / ${round(r.p99Ratio)} | ${round(r.addedP50ms)} / ${round(r.addedP99ms)} | ${r.direct.errors + r.proxied.errors} |`,
  );
  return [
    `lambda-proxy (${result.eventType}) + RIE stand-in vs the stand-in alone with a prepared event, ${result.secondsEach} s each`,
    "",
    "| concurrency | direct req/s | proxied req/s | req/s ratio | direct p50/p99 ms | proxied p50/p99 ms | latency ratio p50/p99 | added ms p50/p99 | errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchLambda();
  console.log(format(result));
  console.log("\n```json\n" + JSON.stringify(result, null, 2) + "\n```");
}
