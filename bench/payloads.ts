import { encode } from "@msgpack/msgpack";
import { packValue } from "../test/helpers/msgpack-writer.js";

/** A msgpack v0.4 traces payload of about `bytes` bytes, shaped like dd-trace's. */
export function v04Traces(bytes: number): Buffer {
  const traces: unknown[][] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    const traceId = BigInt.asUintN(64, 0x9e3779b97f4a7c15n * BigInt(n + 1));
    const spans = Array.from({ length: 4 }, (_, i) => ({
      trace_id: traceId,
      span_id: BigInt.asUintN(64, traceId + BigInt(i + 1) * 0x1234567n),
      parent_id: i === 0 ? 0 : BigInt.asUintN(64, traceId + BigInt(i) * 0x1234567n),
      name: i === 0 ? "web.request" : "http.request",
      resource: `GET /users/${n}`,
      service: "weblog",
      type: "web",
      start: BigInt(Date.now()) * 1_000_000n + BigInt(i),
      duration: 1_234_567 + i,
      error: 0,
      meta: { "http.method": "GET", "http.url": `http://weblog:7777/users/${n}`, "http.status_code": "200", component: "http", "span.kind": "server", env: "system-tests", version: "1.2.3", "runtime-id": "a00bc368-c6ff-4763-90c8-a55015f1ce07" },
      metrics: { _sampling_priority_v1: 1, "_dd.top_level": 1, "process_id": 11137, "_dd.agent_psr": 1 },
    }));
    traces.push(spans);
    n++;
    if (n % 8 === 0 || size === 0) size = encode(traces, { useBigInt64: true }).length;
  }
  return Buffer.from(encode(traces, { useBigInt64: true }));
}

/**
 * A msgpack v0.5 traces payload of about `bytes` bytes, shaped like dd-trace-py's: one string
 * table, spans as arrays of 12 fields, the same spans as v04Traces.
 */
export function v05Traces(bytes: number): Buffer {
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const s = (text: string) => indexes.get(text) ?? (indexes.set(text, strings.push(text) - 1), strings.length - 1);
  const traces: unknown[][] = [];
  let n = 0;
  for (;;) {
    const traceId = BigInt.asUintN(64, 0x9e3779b97f4a7c15n * BigInt(n + 1));
    traces.push(
      Array.from({ length: 4 }, (_, i) => [
        s("weblog"),
        s(i === 0 ? "web.request" : "http.request"),
        s(`GET /users/${n}`),
        traceId,
        BigInt.asUintN(64, traceId + BigInt(i + 1) * 0x1234567n),
        i === 0 ? 0n : BigInt.asUintN(64, traceId + BigInt(i) * 0x1234567n),
        BigInt(Date.now()) * 1_000_000n + BigInt(i),
        1_234_567 + i,
        0,
        new Map([[s("http.method"), s("GET")], [s("http.url"), s(`http://weblog:7777/users/${n}`)], [s("http.status_code"), s("200")], [s("component"), s("http")], [s("span.kind"), s("server")], [s("env"), s("system-tests")], [s("version"), s("1.2.3")], [s("runtime-id"), s("a00bc368-c6ff-4763-90c8-a55015f1ce07")]]),
        new Map([[s("_sampling_priority_v1"), 1], [s("_dd.top_level"), 1], [s("process_id"), 11137], [s("_dd.agent_psr"), 1]]),
        s("web"),
      ]),
    );
    n++;
    if (n % 8 === 0) {
      const body = packValue([strings, traces]);
      if (body.length >= bytes) return body;
    }
  }
}
