import { encode } from "@msgpack/msgpack";

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
