// Live view benchmark: recording speed of `st-proxy serve` with no page open, and with ten
// pages open on /ui/ (nine that read every push and ask for the summaries of the newest rows,
// as the page does for the rows in sight, and one stalled page that reads nothing), in
// alternation within one run. The pages are WebSocket + HTTP clients in this process.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { load, startChild, type LoadResult } from "./load.js";
import { v04Traces } from "./payloads.js";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");

export interface ViewBenchRow {
  payload: string;
  concurrency: number;
  /** Each run, in the order they ran (pages: 0 or 10). */
  runs: { pages: number; result: LoadResult }[];
  /** Pushes and "N more" messages the reading pages got, summaries they fetched. */
  pushes: number;
  more: number;
  summaryRequests: number;
}

interface Pages {
  close(): void;
  stats: { pushes: number; more: number; summaryRequests: number };
}

/** Ten pages on the live view: nine reading, one stalled. */
async function openPages(commandsPort: number, count = 10): Promise<Pages> {
  const stats = { pushes: 0, more: 0, summaryRequests: 0 };
  const sockets: WebSocket[] = [];
  const base = `http://127.0.0.1:${commandsPort}/ui/`;
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${commandsPort}/ui/ws`);
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    sockets.push(ws);
    if (i === count - 1) {
      ws.pause(); // the stalled page: its socket is never read
      continue;
    }
    let asking = false;
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.type === "more") {
        stats.more++;
        void fetch(`${base}api/list`).then((r) => r.arrayBuffer());
        return;
      }
      stats.pushes++;
      // Newest first: the new rows are the rows in sight; one summaries request at a time.
      if (asking) return;
      asking = true;
      const ids = msg.dumps.slice(-40).map((d: { interface: string; name: string }) => encodeURIComponent(`${d.interface}/${d.name}`));
      stats.summaryRequests++;
      fetch(`${base}api/summaries?ids=${ids.join(",")}`)
        .then((r) => r.arrayBuffer())
        .catch(() => {})
        .finally(() => (asking = false));
    });
  }
  return { stats, close: () => sockets.forEach((ws) => ws.terminate()) };
}

function startServe(upstreamPort: number, logFolder: string): Promise<{ proc: ChildProcess; library: number; commands: number }> {
  const args = [join(ROOT, "dist", "cli.js"), "serve", "--listen-host", "127.0.0.1", "--listeners", "library,commands", "--port", "library=0", "--port", "commands=0"];
  args.push("--agent-target", `127.0.0.1:${upstreamPort}`, "--log-folder", logFolder);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout!.on("data", (c: Buffer) => {
      out += c;
      const lib = /library listening on \S+:(\d+)/.exec(out);
      const cmd = /commands listening on \S+:(\d+)/.exec(out);
      if (lib && cmd) resolve({ proc, library: Number(lib[1]), commands: Number(cmd[1]) });
    });
    proc.on("exit", (code) => reject(new Error(`st-proxy serve exited ${code}: ${out}`)));
  });
}

export async function benchView(opts: { seconds?: number } = {}): Promise<ViewBenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 4);
  const logFolder = mkdtempSync(join(tmpdir(), "st-proxy-bench-view-"));
  const upstream = await startChild(process.execPath, ["--import", "tsx", join(ROOT, "bench", "upstream.ts")], /listening (\d+)/);
  const st = await startServe(upstream.port, logFolder);
  const rows: ViewBenchRow[] = [];
  try {
    const headers = { "content-type": "application/msgpack", "x-datadog-trace-count": "1" };
    for (const [label, size] of [["1 KB", 1024], ["50 KB", 50 * 1024]] as const) {
      const body = v04Traces(size);
      const concurrency = 8;
      const row: ViewBenchRow = { payload: label, concurrency, runs: [], pushes: 0, more: 0, summaryRequests: 0 };
      // Alternating, so that a drift of the shared machine weighs on both sides alike.
      for (const pages of [0, 10, 0, 10]) {
        const open = pages > 0 ? await openPages(st.commands, pages) : undefined;
        const result = await load(`http://127.0.0.1:${st.library}`, "/v0.4/traces", body, headers, concurrency, seconds);
        if (open) {
          open.close();
          row.pushes += open.stats.pushes;
          row.more += open.stats.more;
          row.summaryRequests += open.stats.summaryRequests;
        }
        row.runs.push({ pages, result });
      }
      rows.push(row);
    }
  } finally {
    st.proc.kill("SIGTERM");
    upstream.proc.kill("SIGTERM");
    rmSync(logFolder, { recursive: true, force: true });
  }
  return rows;
}

export function format(rows: ViewBenchRow[]): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lines = [
    "| payload | conc. | no page: req/s (runs) | 10 pages: req/s (runs) | 10 pages / none | p99 ms none / 10 pages | pushes, 'N more', summary requests (9 reading pages) | errors |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const none = r.runs.filter((x) => x.pages === 0).map((x) => x.result);
    const ten = r.runs.filter((x) => x.pages > 0).map((x) => x.result);
    const rps = (xs: LoadResult[]) => `${f(mean(xs.map((x) => x.rps)))} (${xs.map((x) => f(x.rps)).join(", ")})`;
    lines.push(
      `| ${r.payload} | ${r.concurrency} | ${rps(none)} | ${rps(ten)} | ${f((mean(ten.map((x) => x.rps)) / mean(none.map((x) => x.rps))) * 100)}% | ${f(mean(none.map((x) => x.p99ms)), 1)} / ${f(mean(ten.map((x) => x.p99ms)), 1)} | ${r.pushes}, ${r.more}, ${r.summaryRequests} | ${r.runs.reduce((a, x) => a + x.result.errors, 0)} |`,
    );
  }
  return lines.join("\n");
}
