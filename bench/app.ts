// Application-proxy benchmark: msgpack v0.4 traces through `st-proxy serve` (library listener)
// against a plain pass-through proxy and against the upstream directly, in the same run.
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { load, peakRssMb, resetPeakRss, startChild, type LoadResult } from "./load.js";
import { v04Traces } from "./payloads.js";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const tsx = ["--import", "tsx"];

export interface AppBenchRow {
  payload: string;
  bytes: number;
  concurrency: number;
  direct: LoadResult;
  passThrough: LoadResult;
  /** The pass-through plus two files per exchange, no decoding (bench/files-floor.ts). */
  filesFloor: LoadResult;
  stProxy: LoadResult;
  throughputRatio: number;
  addedP50ms: { passThrough: number; stProxy: number };
  addedP99ms: { passThrough: number; stProxy: number };
  stProxyPeakRssMb: number;
}

export async function benchApp(opts: { seconds?: number } = {}): Promise<AppBenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 4);
  const logFolder = mkdtempSync(join(tmpdir(), "st-proxy-bench-"));
  const upstream = await startChild(process.execPath, [...tsx, join(ROOT, "bench", "upstream.ts")], /listening (\d+)/);
  const pass = await startChild(process.execPath, [...tsx, join(ROOT, "bench", "pass-through.ts"), String(upstream.port)], /listening (\d+)/);
  const floor = await startChild(process.execPath, [...tsx, join(ROOT, "bench", "files-floor.ts"), String(upstream.port)], /listening (\d+)/);
  const st = await startChild(
    process.execPath,
    [join(ROOT, "dist", "cli.js"), "serve", "--listen-host", "127.0.0.1", "--listeners", "library", "--port", "library=0", "--agent-target", `127.0.0.1:${upstream.port}`, "--log-folder", logFolder],
    /library listening on \S+:(\d+)/,
  );
  const rows: AppBenchRow[] = [];
  try {
    const headers = { "content-type": "application/msgpack", "x-datadog-trace-count": "1" };
    for (const [label, size] of [["1 KB", 1024], ["50 KB", 50 * 1024], ["2 MB", 2 * 1024 * 1024]] as const) {
      const body = v04Traces(size);
      for (const concurrency of [1, 32]) {
        const run = (port: number) => load(`http://127.0.0.1:${port}`, "/v0.4/traces", body, headers, concurrency, size > 1e6 ? seconds * 1.5 : seconds);
        const direct = await run(upstream.port);
        const passThrough = await run(pass.port);
        const filesFloor = await run(floor.port);
        resetPeakRss(st.proc.pid!);
        const stProxy = await run(st.port);
        const row: AppBenchRow = {
          payload: label,
          bytes: body.length,
          concurrency,
          direct,
          passThrough,
          filesFloor,
          stProxy,
          throughputRatio: stProxy.rps / passThrough.rps,
          addedP50ms: { passThrough: passThrough.p50ms - direct.p50ms, stProxy: stProxy.p50ms - direct.p50ms },
          addedP99ms: { passThrough: passThrough.p99ms - direct.p99ms, stProxy: stProxy.p99ms - direct.p99ms },
          stProxyPeakRssMb: peakRssMb(st.proc.pid!),
        };
        rows.push(row);
        // Dumps pile up quickly at these rates; the bench measures writing them, not keeping them.
        rmSync(join(logFolder, "interfaces"), { recursive: true, force: true });
      }
    }
  } finally {
    for (const c of [st, floor, pass, upstream]) c.proc.kill("SIGTERM");
    rmSync(logFolder, { recursive: true, force: true });
  }
  return rows;
}

export function formatApp(rows: AppBenchRow[]): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
  const lines = [
    "| payload | conc. | direct req/s | pass-through req/s | files-only floor req/s | st-proxy req/s | st-proxy / pass-through | st-proxy / floor | added p50 ms (pass / st) | added p99 ms (pass / st) | st-proxy peak RSS MB | errors |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.payload} | ${r.concurrency} | ${f(r.direct.rps)} | ${f(r.passThrough.rps)} | ${f(r.filesFloor.rps)} | ${f(r.stProxy.rps)} | ${f(r.throughputRatio * 100)}% | ${f((r.stProxy.rps / r.filesFloor.rps) * 100)}% | ${f(r.addedP50ms.passThrough, 2)} / ${f(r.addedP50ms.stProxy, 2)} | ${f(r.addedP99ms.passThrough, 2)} / ${f(r.addedP99ms.stProxy, 2)} | ${f(r.stProxyPeakRssMb)} | ${r.direct.errors + r.passThrough.errors + r.filesFloor.errors + r.stProxy.errors} |`,
    );
  return lines.join("\n");
}
