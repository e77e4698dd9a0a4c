// Benchmark of `st-proxy replay decode`: 10,000 flow records of msgpack v0.4 trace submissions
// (shaped like dd-trace's, built here) rebuilt into dumps, in records per second. The flow
// records are written first, outside the measured time; the measure is the command's own work:
// read each record, build its dump, write it atomically.
// Run: node --import tsx bench/replay.ts   (BENCH_REPLAY_RECORDS changes the count)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Exchange } from "../src/model/exchange.js";
import { toFlowRecord } from "../src/record/flow.js";
import { Scrubber } from "../src/record/scrub.js";
import { rebuildDumps } from "../src/replay/rebuild.js";
import { v04Traces } from "./payloads.js";

export interface ReplayBenchResult {
  records: number;
  /** Mean request body size, bytes. */
  meanBodyBytes: number;
  seconds: number;
  recordsPerSecond: number;
  /** Dumps whose request content was decoded (the rest carry a traceback or text). */
  decodedAsTraces: number;
  skipped: number;
}

// Flush sizes vary with traffic; a few distinct payloads, cycled.
const SIZES = [1_000, 2_000, 4_000, 4_000, 8_000, 8_000, 16_000, 32_000];

export async function benchReplay(opts: { records?: number } = {}): Promise<ReplayBenchResult> {
  const count = opts.records ?? Number(process.env.BENCH_REPLAY_RECORDS ?? 10_000);
  const work = mkdtempSync(join(tmpdir(), "st-proxy-bench-replay-"));
  try {
    const payloads = SIZES.map((size) => v04Traces(size));
    const answer = Buffer.from(JSON.stringify({ rate_by_service: { "service:,env:": 1, "service:weblog,env:system-tests": 1 } }));
    const flowsDir = join(work, "flows");
    const dir = join(flowsDir, "library");
    mkdirSync(dir, { recursive: true });
    const start = Date.now() * 1000;
    let bodyBytes = 0;
    for (let i = 0; i < count; i++) {
      const body = payloads[i % payloads.length];
      bodyBytes += body.length;
      const exchange: Exchange = {
        interface: "library",
        method: "PUT",
        path: "/v0.4/traces",
        host: "agent",
        port: 8127,
        startMicros: start + i * 2_137,
        request: {
          headers: [
            ["Content-Type", "application/msgpack"],
            ["Datadog-Meta-Tracer-Version", "5.132.0"],
            ["X-Datadog-Trace-Count", String(Math.max(1, Math.round(body.length / 1_400)))],
            ["Datadog-Meta-Lang", "nodejs"],
            ["Datadog-Meta-Lang-Version", "v20.20.2"],
            ["Datadog-Meta-Lang-Interpreter", "v8"],
            ["Content-Length", String(body.length)],
            ["Host", "proxy:8126"],
            ["Connection", "keep-alive"],
          ],
          body,
        },
        response: { statusCode: 200, headers: [["Content-Type", "application/json"], ["Content-Length", String(answer.length)]], body: answer },
      };
      const name = `${String(i).padStart(5, "0")}__v0.4_traces`;
      writeFileSync(join(dir, `${name}.flow.json`), JSON.stringify(toFlowRecord(exchange, `/app/logs/interfaces/library/${name}.json`)));
    }

    const out = join(work, "out");
    const began = performance.now();
    const result = await rebuildDumps(flowsDir, out, { scrubber: new Scrubber([]) });
    const seconds = (performance.now() - began) / 1000;

    // A sample says whether the dumps hold decoded traces (decoders are another part's work).
    const dumps = readdirSync(join(out, "interfaces", "library")).filter((n) => n.endsWith(".json"));
    const step = Math.max(1, Math.floor(dumps.length / 100));
    let sampled = 0;
    let decoded = 0;
    for (let i = 0; i < dumps.length; i += step) {
      sampled++;
      if (/"content": \[\n/.test(readFileSync(join(out, "interfaces", "library", dumps[i]), "utf8"))) decoded++;
    }
    return {
      records: count,
      meanBodyBytes: Math.round(bodyBytes / count),
      seconds: Number(seconds.toFixed(2)),
      recordsPerSecond: Math.round(result.written / seconds),
      decodedAsTraces: Math.round((decoded / sampled) * result.written),
      skipped: result.bad.length,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function format(r: ReplayBenchResult): string {
  return [
    "| records | mean body | seconds | records/s | decoded as traces | skipped |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${r.records} | ${r.meanBodyBytes} B | ${r.seconds} | ${r.recordsPerSecond} | ${r.decodedAsTraces} | ${r.skipped} |`,
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchReplay(), null, 2));
}
