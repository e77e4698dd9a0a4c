// `npm run soak`: a long run of hostile and ordinary requests through `st-proxy serve` with
// upstream faults injected, counting what matters: dumps lost (must be 0), dumps duplicated
// (must be 0), 502s against the faults that should cause them, throughput and peak RSS.
// SOAK_COUNT (default 100,000) requests at SOAK_CONCURRENCY (default 64); SOAK_SEED.
// Faults, chosen per request and told to the upstream in a header: the answer reset mid-body,
// a slow answer (300 ms), a 500, an answer that never comes (serve's --upstream-timeout is
// 1,000 ms here), and none.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { hostileRequests, rng } from "../test/helpers/hostile-bodies.js";
import { peakRssMb, startChild } from "./load.js";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const FAULTS = ["none", "reset", "slow", "500", "hang"] as const;
type Fault = (typeof FAULTS)[number];

export interface SoakResult {
  requests: number;
  seconds: number;
  rps: number;
  injected: Record<Fault, number>;
  answered: Record<string, number>;
  dumps: number;
  lost: number;
  duplicated: number;
  dumps502: number;
  expected502: number;
  peakRssMb: number;
  clientErrors: number;
  /** Why a request without a fault that causes one got a 502. */
  unexpected502: string[];
}

export async function benchSoak(): Promise<SoakResult> {
  const count = Number(process.env.SOAK_COUNT ?? 100_000);
  const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 64);
  const seed = Number(process.env.SOAK_SEED ?? 7);
  const pick = rng(seed + 1);
  // A pool of hostile bodies reused across the run (making 100,000 distinct ones costs memory here, not there).
  const bodies = hostileRequests(seed, 2000);
  const upstream = createServer((req, res) => {
    const fault = String(req.headers["x-soak-fault"]) as Fault;
    req.resume();
    req.on("end", () => {
      const body = Buffer.from(`{"id": ${JSON.stringify(String(req.headers["x-soak-id"]))}}`);
      if (fault === "hang") return; // never answered
      if (fault === "reset") {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": 1000 });
        res.write(body);
        setImmediate(() => res.socket?.destroy());
        return;
      }
      const send = () => res.writeHead(fault === "500" ? 500 : 200, { "Content-Type": "application/json", "Content-Length": body.length }).end(body);
      if (fault === "slow") setTimeout(send, 300);
      else send();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upPort = (upstream.address() as AddressInfo).port;
  const logFolder = mkdtempSync(join(tmpdir(), "st-proxy-soak-"));
  const st = await startChild(
    process.execPath,
    [join(ROOT, "dist", "cli.js"), "serve", "--listen-host", "127.0.0.1", "--listeners", "library,agent", "--port", "library=0", "--port", "agent=0", "--agent-target", `127.0.0.1:${upPort}`, "--log-folder", logFolder, "--upstream-timeout", "1000"],
    /agent listening on \S+:(\d+)/,
  );
  const ports = { library: Number(/library listening on \S+:(\d+)/.exec(st.output())![1]), agent: st.port };
  const result: SoakResult = {
    requests: 0,
    seconds: 0,
    rps: 0,
    injected: { none: 0, reset: 0, slow: 0, "500": 0, hang: 0 },
    answered: {},
    dumps: 0,
    lost: 0,
    duplicated: 0,
    dumps502: 0,
    expected502: 0,
    peakRssMb: 0,
    clientErrors: 0,
    unexpected502: [],
  };
  try {
    // Everything goes through the agent listener (absolute form to the upstream) and the library one.
    const pools = { library: new Pool(`http://127.0.0.1:${ports.library}`, { connections: concurrency }), agent: new Pool(`http://127.0.0.1:${ports.agent}`, { connections: concurrency }) };
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const r = bodies[i % bodies.length];
        const k = pick();
        const fault: Fault = k < 0.9 ? "none" : FAULTS[1 + Math.floor((k - 0.9) * 40)];
        result.injected[fault]++;
        const path = r.via === "agent" ? `http://127.0.0.1:${upPort}${r.path}` : r.path;
        try {
          const res = await pools[r.via].request({ method: r.method, path, headers: { ...r.headers, "x-soak-id": String(i), "x-soak-fault": fault }, body: r.body.length > 0 ? r.body : undefined });
          await res.body.dump();
          result.answered[res.statusCode] = (result.answered[res.statusCode] ?? 0) + 1;
        } catch {
          result.clientErrors++;
        }
        if (i % 1000 === 0) result.peakRssMb = Math.max(result.peakRssMb, peakRssMb(st.proc.pid!));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    result.seconds = (performance.now() - started) / 1000;
    result.requests = count;
    result.rps = count / result.seconds;
    await pools.library.close();
    await pools.agent.close();
    result.peakRssMb = Math.max(result.peakRssMb, peakRssMb(st.proc.pid!));
  } finally {
    const exited = new Promise((resolve) => st.proc.once("exit", resolve));
    st.proc.kill("SIGTERM");
    await exited;
    upstream.close();
  }
  // Every request id in exactly one dump.
  const seen = new Map<string, number>();
  for (const iface of ["library", "agent"]) {
    const dir = join(logFolder, "interfaces", iface);
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      const text = readFileSync(join(dir, name), "utf8");
      const id = /"x-soak-id",\s*"(\d+)"/.exec(text)?.[1];
      if (id === undefined) continue;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      result.dumps++;
      if (/"status_code": 502/.test(text)) {
        result.dumps502++;
        const fault = /"x-soak-fault",\s*"(\w+)"/.exec(text)?.[1];
        if (fault !== "reset" && fault !== "hang") result.unexpected502.push(`${fault}: ${/"error": "([^"]*)"/.exec(text)?.[1]}`);
      }
    }
  }
  for (let i = 0; i < count; i++) {
    const n = seen.get(String(i)) ?? 0;
    if (n === 0) result.lost++;
    if (n > 1) result.duplicated += n - 1;
  }
  result.expected502 = result.injected.reset + result.injected.hang;
  rmSync(logFolder, { recursive: true, force: true });
  return result;
}

export function format(r: SoakResult): string {
  return [
    "| requests | concurrency | seconds | req/s | dumps | lost | duplicated | 502 dumps / faults that cause them (reset + hang) | injected (reset / slow / 500 / hang) | answers by status | client errors | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    `| ${r.requests} | ${process.env.SOAK_CONCURRENCY ?? 64} | ${r.seconds.toFixed(0)} | ${r.rps.toFixed(0)} | ${r.dumps} | ${r.lost} | ${r.duplicated} | ${r.dumps502} / ${r.expected502} | ${r.injected.reset} / ${r.injected.slow} / ${r.injected["500"]} / ${r.injected.hang} | ${Object.entries(r.answered).map(([s, n]) => `${s}: ${n}`).join(", ")} | ${r.clientErrors} | ${r.peakRssMb.toFixed(0)} |`,
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchSoak();
  console.log(format(r));
  for (const why of r.unexpected502.slice(0, 10)) console.log(`unexpected 502: ${why}`);
  if (r.lost > 0 || r.duplicated > 0) process.exitCode = 1;
}
