// Log folders for the view's tests, made the way `st-proxy serve` makes them: exchanges (the
// corpus' flow records, read in place from ../shared, or built here) recorded by the Recorder
// itself into a temporary folder, dumps and flow records alike.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { encode } from "@msgpack/msgpack";
import { Recorder } from "../../src/record/recorder.js";
import { Scrubber } from "../../src/record/scrub.js";
import { fromFlowRecord } from "../../src/record/flow.js";
import { dumpFilename } from "../../src/record/dump.js";
import type { Exchange } from "../../src/model/exchange.js";
import { CORPUS_CASES } from "../helpers/shared.js";
import { tempDir } from "../helpers/serve.js";

export function newLogFolder(): string {
  return tempDir("st-proxy-view-");
}

/** A Recorder writing into a folder, telling each exchange's row id (`<interface>/<dump file name>`). */
export function recorderFor(logFolder: string) {
  const recorder = new Recorder({ logFolder, scrubber: new Scrubber([]), flows: true });
  const counters = new Map<string, number>();
  return {
    /** Records one exchange (dump in place once it settles); its row id. */
    async record(ex: Exchange): Promise<string> {
      // Numbered as the Recorder numbers: per interface, from 0, in the order recorded.
      const counter = counters.get(ex.interface) ?? 0;
      counters.set(ex.interface, counter + 1);
      await recorder.record(ex);
      return `${ex.interface}/${basename(dumpFilename(logFolder, ex.interface, counter, ex.path))}`;
    },
    /** Everything written, flow logs closed. */
    close: () => recorder.close(),
  };
}

/** The corpus' exchanges, by case name. */
export function corpusExchanges(): Map<string, Exchange> {
  const out = new Map<string, Exchange>();
  for (const name of readdirSync(CORPUS_CASES).sort())
    if (name.endsWith(".flow.json")) out.set(name.replace(/\.flow\.json$/, ""), fromFlowRecord(JSON.parse(readFileSync(join(CORPUS_CASES, name), "utf8"))).exchange);
  return out;
}

/** A v0.4 trace submission, as a tracer sends it (msgpack; ids as unsigned 64-bit). */
export function v04Exchange(spans: Record<string, unknown>[], startMicros = Date.now() * 1000): Exchange {
  return {
    interface: "library",
    method: "PUT",
    path: "/v0.4/traces",
    host: "agent",
    port: 8127,
    startMicros,
    request: { headers: [["Content-Type", "application/msgpack"], ["X-Datadog-Trace-Count", "1"]], body: Buffer.from(encode([spans], { useBigInt64: true })) },
    response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from('{"rate_by_service":{}}') },
  };
}

/** A span for v04Exchange. */
export function span(fields: { trace: bigint; id: bigint; parent: bigint; name: string; resource: string; start: bigint; duration: bigint; error?: number; service?: string }) {
  return {
    trace_id: fields.trace,
    span_id: fields.id,
    parent_id: fields.parent,
    name: fields.name,
    resource: fields.resource,
    service: fields.service ?? "weblog",
    type: "web",
    start: fields.start,
    duration: fields.duration,
    error: fields.error ?? 0,
    meta: { "http.method": "GET" },
    metrics: { _sampling_priority_v1: 1 },
  };
}
