// Application-proxy benchmark: msgpack v0.4 traces (PUT /v0.4/traces, dd-trace-shaped; one row of
// v0.5, dd-trace-py-shaped) through
// `st-proxy serve` (library listener: decode, dump, flow record, then answer) against a plain
// Node pass-through (streams, no recording), in the same run. Each proxy is pinned to CPU 0 and
// the load generator and upstream to CPU 1 where taskset exists, so that CPU per exchange (every
// thread of the proxy process, from /proc) compares like with like. Ratios carry across machines.
// A/B rounds (BENCH_ROUNDS, 3): the two proxies in turn, so that a burst of load from elsewhere on
// the machine (seen here: the pass-through's own CPU per exchange moving by half between runs)
// falls on both rather than on one.
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { cpuSplitMicros, emptyFiles, fileSystemType, load, peakRssMb, pin, removeAtExit, resetPeakRss, startChild, type LoadResult } from "./load.js";
import { v04Traces, v05Traces } from "./payloads.js";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const tsx = ["--import", "tsx"];

export interface Measured extends LoadResult {
  cpuMicrosPerExchange: number;
  /** The kernel's part of it (system time): file and socket writes, page faults. */
  systemMicrosPerExchange: number;
  peakRssMb: number;
}

export interface AppBenchRow {
  payload: string;
  bytes: number;
  concurrency: number;
  passThrough: Measured;
  stProxy: Measured;
  /** st-proxy over pass-through. */
  cpuRatio: number;
  rpsRatio: number;
  addedP50ms: number;
  addedP99ms: number;
}

/** Issue 10's targets, per row (payload label + concurrency). */
export const TARGETS: Record<string, { cpuRatio?: number; addedP50ms?: number; peakRssMb?: number; rssOverPassMb?: number }> = {
  "2 KB c1": { cpuRatio: 3, addedP50ms: 0.5 },
  "60 KB c32": { cpuRatio: 5, rssOverPassMb: 40 },
  "2 MB c1": { cpuRatio: 25 },
  "2 MB c32": { peakRssMb: 200 },
};

/** v0.4 at three sizes, both concurrencies; then v0.5 (Python tracers) at 60 KB / c32. */
const ROWS: { label: string; path: string; body: () => Buffer; concurrency: number[] }[] = [
  ...([["2 KB", 2 * 1024], ["60 KB", 60 * 1024], ["2 MB", 2 * 1024 * 1024]] as const).map(([label, size]) => ({ label, path: "/v0.4/traces", body: () => v04Traces(size), concurrency: [1, 32] })),
  { label: "60 KB v0.5", path: "/v0.5/traces", body: () => v05Traces(60 * 1024), concurrency: [32] },
];

/** Rounds of one measurement as one: totals for rates and CPU, the rounds' median percentiles, the highest peak. */
function combine(rounds: Measured[]): Measured {
  const sum = (f: (r: Measured) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50ms: median(rounds.map((r) => r.p50ms)),
    p99ms: median(rounds.map((r) => r.p99ms)),
    errors: sum((r) => r.errors),
    cpuMicrosPerExchange: sum((r) => r.cpuMicrosPerExchange * r.requests) / Math.max(1, requests),
    systemMicrosPerExchange: sum((r) => r.systemMicrosPerExchange * r.requests) / Math.max(1, requests),
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
  };
}

export async function benchApp(opts: { seconds?: number; rounds?: number; extraArgs?: string[] } = {}): Promise<AppBenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 3);
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 3);
  // BENCH_LOG_DIR puts the dumps on another disk (the file system is part of the cost: see README).
  const logFolder = mkdtempSync(join(process.env.BENCH_LOG_DIR ?? tmpdir(), "st-proxy-bench-"));
  console.log(`Dumps written under ${logFolder} (${fileSystemType(logFolder)}).\n`);
  removeAtExit(logFolder);
  pin(process.pid, 1);
  const upstream = await startChild(process.execPath, [...tsx, join(ROOT, "bench", "upstream.ts")], /listening (\d+)/);
  pin(upstream.proc.pid!, 1);
  const pass = await startChild(process.execPath, [join(ROOT, "bench", "pass-through.mjs"), String(upstream.port)], /listening (\d+)/);
  const st = await startChild(
    process.execPath,
    [join(ROOT, "dist", "cli.js"), "serve", "--listen-host", "127.0.0.1", "--listeners", "library", "--port", "library=0", "--agent-target", `127.0.0.1:${upstream.port}`, "--log-folder", logFolder, ...(opts.extraArgs ?? [])],
    /library listening on \S+:(\d+)/,
  );
  for (const c of [pass, st]) pin(c.proc.pid!, 0);
  const rows: AppBenchRow[] = [];
  const measure = async (pid: number, port: number, path: string, body: Buffer, concurrency: number, secs: number): Promise<Measured> => {
    const headers = { "content-type": "application/msgpack", "x-datadog-trace-count": "1" };
    // A short warm-up (JIT, pools), then the measurement.
    await load(`http://127.0.0.1:${port}`, path, body, headers, concurrency, Math.min(1, secs / 4));
    resetPeakRss(pid);
    const cpu0 = cpuSplitMicros(pid);
    const result = await load(`http://127.0.0.1:${port}`, path, body, headers, concurrency, secs);
    const cpu1 = cpuSplitMicros(pid);
    const n = Math.max(1, result.requests);
    const system = cpu1.system - cpu0.system;
    return { ...result, cpuMicrosPerExchange: (cpu1.user - cpu0.user + system) / n, systemMicrosPerExchange: system / n, peakRssMb: peakRssMb(pid) };
  };
  try {
    for (const row of ROWS) {
      const body = row.body();
      for (const concurrency of row.concurrency) {
        const secs = body.length > 1e6 ? seconds * 1.5 : seconds;
        const passRounds: Measured[] = [];
        const stRounds: Measured[] = [];
        for (let round = 0; round < rounds; round++) {
          passRounds.push(await measure(pass.proc.pid!, pass.port, row.path, body, concurrency, secs));
          stRounds.push(await measure(st.proc.pid!, st.port, row.path, body, concurrency, secs));
        }
        const passThrough = combine(passRounds);
        const stProxy = combine(stRounds);
        rows.push({
          payload: row.label,
          bytes: body.length,
          concurrency,
          passThrough,
          stProxy,
          cpuRatio: stProxy.cpuMicrosPerExchange / passThrough.cpuMicrosPerExchange,
          rpsRatio: stProxy.rps / passThrough.rps,
          addedP50ms: stProxy.p50ms - passThrough.p50ms,
          addedP99ms: stProxy.p99ms - passThrough.p99ms,
        });
        // Dumps pile up quickly at these rates (GBs at 2 MB); the bench measures writing them, not keeping them.
        emptyFiles(join(logFolder, "interfaces"));
      }
    }
  } finally {
    for (const c of [st, pass, upstream]) c.proc.kill("SIGTERM");
  }
  return rows;
}

export function formatApp(rows: AppBenchRow[]): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
  const lines = [
    "| payload | conc. | req/s pass / st-proxy | CPU µs per exchange pass / st-proxy | of which kernel pass / st-proxy | CPU ratio | p50 ms pass / st-proxy | p99 ms pass / st-proxy | added p50 / p99 ms | peak RSS MB pass / st-proxy | errors | target |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const target = TARGETS[`${r.payload} c${r.concurrency}`];
    const verdicts: string[] = [];
    if (target?.cpuRatio !== undefined) verdicts.push(`CPU ≤ ${target.cpuRatio}×: ${r.cpuRatio <= target.cpuRatio ? "met" : "NOT met"}`);
    if (target?.addedP50ms !== undefined) verdicts.push(`added p50 ≤ ${target.addedP50ms} ms: ${r.addedP50ms <= target.addedP50ms ? "met" : "NOT met"}`);
    if (target?.peakRssMb !== undefined) verdicts.push(`RSS < ${target.peakRssMb} MB: ${r.stProxy.peakRssMb < target.peakRssMb ? "met" : "NOT met"}`);
    if (target?.rssOverPassMb !== undefined) verdicts.push(`RSS ≤ pass + ${target.rssOverPassMb} MB: ${r.stProxy.peakRssMb - r.passThrough.peakRssMb <= target.rssOverPassMb ? "met" : "NOT met"}`);
    lines.push(
      `| ${r.payload} | ${r.concurrency} | ${f(r.passThrough.rps)} / ${f(r.stProxy.rps)} | ${f(r.passThrough.cpuMicrosPerExchange)} / ${f(r.stProxy.cpuMicrosPerExchange)} | ${f(r.passThrough.systemMicrosPerExchange)} / ${f(r.stProxy.systemMicrosPerExchange)} | ${f(r.cpuRatio, 1)}× | ${f(r.passThrough.p50ms, 2)} / ${f(r.stProxy.p50ms, 2)} | ${f(r.passThrough.p99ms, 2)} / ${f(r.stProxy.p99ms, 2)} | ${f(r.addedP50ms, 2)} / ${f(r.addedP99ms, 2)} | ${f(r.passThrough.peakRssMb)} / ${f(r.stProxy.peakRssMb)} | ${r.passThrough.errors + r.stProxy.errors} | ${verdicts.join("; ") || "-"} |`,
    );
  }
  return lines.join("\n");
}

// `node --import tsx bench/app.ts`: this benchmark alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(formatApp(await benchApp({ extraArgs: process.argv.slice(2) })));
