// Hostile request bodies for the fuzz test and the soak: realistic payloads of every decoder
// path (self-made, plus the corpus's request bodies when ../shared is there), mutated (bytes
// flipped, cut, extended, spliced), nested deep, compressed right or wrong, or plain noise.
// Seeded, so that a failure names a case that can be made again.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { encode } from "@msgpack/msgpack";
import { CORPUS_CASES } from "./shared.js";

export interface HostileRequest {
  /** The listener kind it goes to: the tracer's reverse proxy, or the agent's HTTP proxy. */
  via: "library" | "agent";
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** What was done to it, for failure messages. */
  what: string;
}

interface Seed {
  via: "library" | "agent";
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MSGPACK = { "content-type": "application/msgpack" };
const JSON_TYPE = { "content-type": "application/json" };
const PROTOBUF = { "content-type": "application/x-protobuf" };

function ownSeeds(): Seed[] {
  const span = (i: number) => ({
    trace_id: 2n ** 64n - BigInt(i + 1),
    span_id: BigInt(i + 1),
    parent_id: 0,
    name: "web.request",
    resource: `GET /users/${i} <img src=x onerror=alert(1)>`,
    service: "weblog",
    start: 1764170049000000000n,
    duration: 1234,
    error: i % 2,
    meta: { "http.url": `http://weblog:7777/${i}`, "_dd.appsec.json": '{"triggers":[]}', "é": "ü" },
    metrics: { _sampling_priority_v1: 1, x: 1.5 },
  });
  const traces = encode([[span(0), span(1)], [span(2)]], { useBigInt64: true });
  return [
    { via: "library", path: "/v0.4/traces", headers: MSGPACK, body: Buffer.from(traces) },
    { via: "library", path: "/v0.5/traces", headers: MSGPACK, body: Buffer.from(encode([["weblog", "web.request", "GET /"], [[[0, 1, 2, 1n, 2n, 0, 1, 2, 0, {}, {}, 0]]]], { useBigInt64: true })) },
    { via: "library", path: "/v0.6/stats", headers: MSGPACK, body: Buffer.from(encode({ Hostname: "h", Stats: [{ Start: 1, Duration: 10, Stats: [{ Name: "web", Hits: 3 }] }] })) },
    { via: "library", path: "/telemetry/proxy/api/v2/apmtelemetry", headers: JSON_TYPE, body: Buffer.from(JSON.stringify({ request_type: "message-batch", payload: [{ request_type: "app-heartbeat" }], seq_id: 2, runtime_id: "r" })) },
    { via: "library", path: "/v0.7/config", headers: JSON_TYPE, body: Buffer.from(JSON.stringify({ client: { state: { root_version: 1 }, products: ["ASM"] } })) },
    { via: "library", path: "/info", headers: {}, body: Buffer.alloc(0) },
    { via: "library", path: "/dogstatsd/v2/proxy", headers: { "content-type": "text/plain" }, body: Buffer.from("a.b:1|c|#x:y\nc.d:2|g") },
    { via: "agent", path: "/api/v2/logs", headers: JSON_TYPE, body: Buffer.from(JSON.stringify([{ message: "hello", big: 18446744073709551615, f: 1.0 }])) },
    { via: "agent", path: "/api/v0.2/traces", headers: PROTOBUF, body: Buffer.from([0x0a, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x12, 0x03, 0x65, 0x6e, 0x76]) },
    { via: "agent", path: "/api/v2/series", headers: PROTOBUF, body: Buffer.from([0x0a, 0x02, 0x0a, 0x00]) },
    { via: "agent", path: "/api/v2/profile", headers: { "content-type": "multipart/form-data; boundary=XyZ" }, body: Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="event"; filename="event.json"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\n\x00\x01\x02\r\n--XyZ--\r\n', "latin1") },
  ];
}

function corpusSeeds(): Seed[] {
  if (!existsSync(CORPUS_CASES)) return [];
  const seeds: Seed[] = [];
  for (const name of readdirSync(CORPUS_CASES).filter((n) => n.endsWith(".flow.json")).sort()) {
    const flow = JSON.parse(readFileSync(join(CORPUS_CASES, name), "utf8"));
    if (!flow.request.body_b64) continue;
    const headers: Record<string, string> = {};
    for (const [k, v] of flow.request.headers as [string, string][])
      if (["content-type", "content-encoding", "dd-protocol"].includes(k.toLowerCase())) headers[k.toLowerCase()] = v;
    seeds.push({ via: flow.interface === "library" ? "library" : "agent", path: flow.path.split("?")[0], headers, body: Buffer.from(flow.request.body_b64, "base64") });
  }
  return seeds;
}

/** A valid Zstandard frame of raw blocks (Node 20 has no zstd compressor; fzstd only decodes). */
export function zstdRawFrame(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])]; // no FCS, window 8 MB
  for (let at = 0; at < data.length || at === 0; at += 65536) {
    const chunk = data.subarray(at, at + 65536);
    const last = at + 65536 >= data.length ? 1 : 0;
    const header = (chunk.length << 3) | last; // raw block
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]), chunk);
    if (data.length === 0) break;
  }
  return Buffer.concat(parts);
}

function mutate(body: Buffer, r: () => number): { body: Buffer; what: string } {
  const k = r();
  const b = Buffer.from(body);
  if (k < 0.15 || b.length === 0) return { body: b, what: "unchanged" };
  if (k < 0.4) {
    const n = 1 + Math.floor(r() * 8);
    for (let i = 0; i < n; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    return { body: b, what: `${n} bytes flipped` };
  }
  if (k < 0.55) return { body: b.subarray(0, Math.floor(r() * b.length)), what: "cut short" };
  if (k < 0.65) return { body: Buffer.concat([b, randomBytes(r, 1 + Math.floor(r() * 64))]), what: "extended" };
  if (k < 0.75) {
    const at = Math.floor(r() * b.length);
    return { body: Buffer.concat([b.subarray(0, at), b.subarray(Math.floor(r() * b.length)), b.subarray(at)]), what: "spliced" };
  }
  if (k < 0.85) return { body: randomBytes(r, Math.floor(r() * 4096)), what: "noise" };
  return { body: Buffer.concat([b, b, b]), what: "repeated" };
}

function randomBytes(r: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Deep nesting in the body's own format. */
function deep(r: () => number): { path: string; headers: Record<string, string>; body: Buffer; what: string } {
  const depth = [500, 1001, 3000, 100_000][Math.floor(r() * 4)];
  if (r() < 0.5) return { path: "/telemetry/proxy/api/v2/apmtelemetry", headers: JSON_TYPE, body: Buffer.from("[".repeat(depth) + "]".repeat(depth)), what: `JSON nested ${depth} deep` };
  return { path: "/v0.4/traces", headers: MSGPACK, body: Buffer.alloc(depth, 0x91), what: `msgpack nested ${depth} deep` };
}

function encodeBody(body: Buffer, r: () => number, headers: Record<string, string>): { body: Buffer; headers: Record<string, string>; what: string } {
  const k = r();
  const h = { ...headers };
  delete h["content-encoding"];
  const as = (name: string, data: Buffer) => ({ body: data, headers: { ...h, "content-encoding": name }, what: name });
  if (k < 0.55) return { body, headers: headers["content-encoding"] ? headers : h, what: headers["content-encoding"] ?? "identity" };
  if (k < 0.63) return as("gzip", gzipSync(body));
  if (k < 0.7) return as("deflate", r() < 0.5 ? deflateSync(body) : deflateRawSync(body));
  if (k < 0.77) return as("br", brotliCompressSync(body));
  if (k < 0.84) return as("zstd", zstdRawFrame(body));
  if (k < 0.92) {
    // Compressed, then damaged.
    const c = gzipSync(body);
    c[Math.floor(r() * c.length)] ^= 0xff;
    return { ...as("gzip", c.subarray(0, Math.max(1, Math.floor(c.length * r())))), what: "gzip damaged" };
  }
  // Announced, not done.
  return { ...as(["gzip", "br", "zstd", "deflate", "x-unknown"][Math.floor(r() * 5)], body), what: "encoding announced, body not encoded" };
}

let BOMB: Buffer | undefined;

/** `count` hostile requests from `seed`, none over 1 MB. */
export function hostileRequests(seed: number, count: number): HostileRequest[] {
  const r = rng(seed);
  const seeds = [...ownSeeds(), ...corpusSeeds()];
  const out: HostileRequest[] = [];
  for (let i = 0; i < count; i++) {
    const k = r();
    let req: HostileRequest;
    if (k < 0.05) {
      const d = deep(r);
      req = { via: "library", method: "PUT", path: d.path, headers: d.headers, body: d.body, what: d.what };
    } else if (k < 0.07) {
      // A bomb: small on the wire, 8 MB decoded (past the tests' --max-body-size of 4 MB).
      req = { via: "library", method: "PUT", path: "/v0.4/traces", headers: { ...MSGPACK, "content-encoding": "gzip" }, body: (BOMB ??= gzipSync(Buffer.alloc(8 * 1024 * 1024))), what: "gzip bomb" };
    } else if (k < 0.08) {
      // A large body, made on a recording thread.
      const body = randomBytes(r, 300 * 1024 + Math.floor(r() * 600 * 1024));
      req = { via: "library", method: "PUT", path: "/v0.4/traces", headers: MSGPACK, body, what: "large noise" };
    } else {
      const s = seeds[Math.floor(r() * seeds.length)];
      const m = mutate(s.body, r);
      const e = encodeBody(m.body, r, s.headers);
      req = { via: s.via, method: e.body.length === 0 ? "GET" : "POST", path: s.path, headers: e.headers, body: e.body, what: `${s.path} ${m.what}, ${e.what}` };
    }
    if (req.body.length > 1024 * 1024) req.body = req.body.subarray(0, 1024 * 1024);
    out.push(req);
  }
  return out;
}
