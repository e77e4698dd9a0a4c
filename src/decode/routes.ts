/**
 * Which decoder for which body: the reference's deserialize_http_message as a table. The
 * first route whose every condition holds decodes the body; conditions not given always hold.
 * Order matters, as in the reference (JSON by content type first, then paths, then the other
 * content types, then raw bytes).
 */
import type { Json } from "../json/value.js";
import {
  decodeAgentPayload,
  decodeBackendResponse,
  decodeMetricPayload,
  decodeMetricsV3,
  decodeOtlpRequest,
  decodeOtlpResponse,
  decodeSketchPayload,
  flattenOtlpTraces,
} from "./protobuf/index.js";
import { decodeMsgpack, decodeTracesV04, decodeTracesV05 } from "./traces-msgpack.js";
import { renderTraces } from "./traces-text.js";
import type { OutputScratch } from "./output-scratch.js";
import { decodeTracesV1 } from "./traces-v1.js";
import { decodeMultipart } from "./multipart.js";
import { loadsJson } from "./python-json.js";
import { bytesRepr } from "./python-repr.js";
import type { ExportedFile } from "./types.js";
import { strictUtf8 } from "./utf8.js";

/** A body to decode (content encoding already undone), with what the routes look at. */
export interface Body {
  bytes: Buffer;
  side: "request" | "response";
  interface: string;
  /** The interface carries a Datadog tracer's traffic (library, buddies). */
  fromTracer: boolean;
  path: string;
  statusCode?: number;
  /** Content-Type as sent (folded), and lowercased for matching; undefined when absent. */
  contentType?: string;
  contentTypeLower?: string;
  header(name: string): string | undefined;
  filesDir: string;
  /** Files the decoder wants written (multipart attachments). */
  files: ExportedFile[];
}

export interface Route {
  name: string;
  /** Content-Type (lowercased) contains one of these. */
  typeIncludes?: readonly string[];
  /** Content-Type (lowercased) is one of these. */
  typeIs?: readonly string[];
  typeStartsWith?: string;
  path?: readonly string[];
  pathIncludes?: string;
  pathStartsWith?: string;
  fromTracer?: true;
  /** The interface is one of these. */
  interface?: readonly string[];
  side?: "request" | "response";
  status?: number;
  /** A header with exactly this value. */
  header?: readonly [name: string, value: string];
  /** The body is exactly these bytes. */
  bodyIs?: string;
  /**
   * Absent on a row that only describes an endpoint (its schema, its stand-in answer): such a
   * body is decoded by a later row, by its content type.
   */
  decode?: (body: Body) => Json;
  /**
   * A faster way to the same dump: the decoded value rendered straight to the dump's JSON text
   * at `depth`; undefined when this body needs `decode` after all. Output identical to
   * writing decode's value.
   */
  render?: (body: Body, depth: number, scratch?: OutputScratch) => Buffer | undefined;
  /**
   * The JSON Schema ids (paths under schemas/) `validate` checks the decoded content of this
   * row's paths against, by path and side alone: the request, and answers with status 200
   * (an error answer is not the documented payload).
   */
  schema?: { request?: string; response?: string };
  /** What the stand-in agent (`--agent-target builtin`) answers on this row's paths (or prefix). */
  agent?: AgentAnswer;
}

export type DecodingRoute = Route & Required<Pick<Route, "decode">>;

export interface AgentAnswer {
  status: number;
  /** Sent as application/json; otherwise `text` (empty when absent) with `type`, if any. */
  json?: Json;
  text?: string;
  type?: string;
  /** Other methods get 405 with an empty body. */
  postOnly?: true;
  /** Listed in the stand-in agent's /info `endpoints`, in table order (a prefix ends with "/"). */
  advertise?: readonly string[];
}

const PROTOBUF = ["application/x-protobuf"] as const;
const MSGPACK = ["application/msgpack", "application/msgpack, application/msgpack"] as const;
const SERIES = ["/api/v2/series", "/api/intake/metrics/v3/series"] as const;
const TRACES_RESPONSE_SCHEMA = "/content/traces.response.schema.json";
const TRACES_ACK: AgentAnswer = { status: 200, json: { rate_by_service: { "service:,env:": 1 } } };
const INTAKE_ACK: AgentAnswer = { status: 202, json: {} };

const json = (b: Body): Json => loadsJson(b.bytes);
const utf8 = (b: Body): Json => strictUtf8(b.bytes, (cause) => new Error("UnicodeDecodeError: the body is not UTF-8 text", { cause }));
const raw = (b: Body): Json => bytesRepr(b.bytes);

/**
 * Rows whose conditions are disjoint (different paths) may be in any order among themselves:
 * the endpoint rows follow the order the stand-in agent advertises them in.
 */
export const ROUTES: readonly Route[] = [
  { name: "otlp-json-traces", typeIncludes: ["application/json", "text/json"], path: ["/v1/traces"], decode: (b) => flattenOtlpTraces(json(b)) },
  { name: "json", typeIncludes: ["application/json", "text/json"], decode: json },
  // The reference expands JSON nested in span meta for the main library only, not the buddies.
  {
    name: "traces-v04-library",
    typeIs: MSGPACK,
    path: ["/v0.4/traces"],
    interface: ["library"],
    decode: (b) => decodeTracesV04(b.bytes, { expandMeta: true }),
    render: (b, depth, scratch) => renderTraces(b.bytes, { expandMeta: true, depth }, scratch),
  },
  {
    name: "traces-v04",
    typeIs: MSGPACK,
    path: ["/v0.4/traces"],
    fromTracer: true,
    decode: (b) => decodeTracesV04(b.bytes, { expandMeta: false }),
    render: (b, depth, scratch) => renderTraces(b.bytes, { expandMeta: false, depth }, scratch),
    schema: { request: "/content/traces-v04.request.schema.json", response: TRACES_RESPONSE_SCHEMA },
    agent: { ...TRACES_ACK, advertise: ["/v0.4/traces"] },
  },
  {
    name: "traces-v05-library",
    typeIs: MSGPACK,
    path: ["/v0.5/traces"],
    interface: ["library"],
    decode: (b) => decodeTracesV05(b.bytes, { expandMeta: true }),
    render: (b, depth, scratch) => renderTraces(b.bytes, { expandMeta: true, depth, v05: true }, scratch),
  },
  {
    name: "traces-v05",
    typeIs: MSGPACK,
    path: ["/v0.5/traces"],
    fromTracer: true,
    decode: (b) => decodeTracesV05(b.bytes, { expandMeta: false }),
    render: (b, depth, scratch) => renderTraces(b.bytes, { expandMeta: false, depth, v05: true }, scratch),
    schema: { request: "/content/traces-v05.request.schema.json", response: TRACES_RESPONSE_SCHEMA },
    agent: { ...TRACES_ACK, advertise: ["/v0.5/traces"] },
  },
  { name: "stats-v06", path: ["/v0.6/stats"], decode: (b) => decodeMsgpack(b.bytes), agent: { status: 200, type: "text/plain; charset=utf-8", text: "OK", advertise: ["/v0.6/stats"] } },
  // The agent answers 404 in plain text when remote configuration is off.
  { name: "remote-config-404", path: ["/v0.7/config"], side: "response", status: 404, decode: utf8 },
  {
    name: "remote-config",
    path: ["/v0.7/config"],
    decode: json,
    schema: { request: "/content/remote-config.request.schema.json", response: "/content/remote-config.response.schema.json" },
    // No remote configuration to offer: an empty answer, as an agent with nothing targeted gives.
    agent: { status: 200, json: {}, postOnly: true, advertise: ["/v0.7/config"] },
  },
  { name: "telemetry", path: ["/telemetry/proxy/api/v2/apmtelemetry", "/api/v2/apmtelemetry"], schema: { request: "/content/telemetry.request.schema.json" } },
  { name: "telemetry-proxy", pathStartsWith: "/telemetry/proxy/", agent: { status: 202, advertise: ["/telemetry/proxy/"] } },
  { name: "profiling", pathStartsWith: "/profiling/", agent: { ...INTAKE_ACK, advertise: ["/profiling/v1/input"] } },
  { name: "debugger", pathStartsWith: "/debugger/", agent: { ...INTAKE_ACK, advertise: ["/debugger/v1/input", "/debugger/v1/diagnostics", "/debugger/v2/input"] } },
  { name: "symdb", pathStartsWith: "/symdb/", agent: { ...INTAKE_ACK, advertise: ["/symdb/v1/input"] } },
  { name: "evp-proxy", pathStartsWith: "/evp_proxy/", agent: { ...INTAKE_ACK, advertise: ["/evp_proxy/v1/", "/evp_proxy/v2/", "/evp_proxy/v4/"] } },
  { name: "dogstatsd-proxy", path: ["/dogstatsd/v2/proxy"], fromTracer: true, decode: utf8, agent: { status: 200, advertise: ["/dogstatsd/v2/proxy"] } },
  { name: "info", path: ["/info"], fromTracer: true, side: "response", decode: json, schema: { response: "/content/info.response.schema.json" } },
  { name: "info-request", path: ["/info"], fromTracer: true, decode: raw },
  { name: "traces-v1-text", path: ["/v1.0/traces"], fromTracer: true, typeIs: ["text/plain; charset=utf-8"], decode: utf8 },
  { name: "traces-v1", path: ["/v1.0/traces"], fromTracer: true, decode: (b) => decodeTracesV1(b.bytes), agent: TRACES_ACK },
  { name: "traces-v03", path: ["/v0.3/traces"], agent: TRACES_ACK },
  { name: "msgpack", typeIs: MSGPACK, decode: (b) => decodeMsgpack(b.bytes) },
  { name: "otlp-traces", typeIs: PROTOBUF, header: ["dd-protocol", "otlp"], pathIncludes: "traces", decode: (b) => decodeOtlpRequest("traces", b.bytes) },
  { name: "otlp-metrics", typeIs: PROTOBUF, header: ["dd-protocol", "otlp"], pathIncludes: "metrics", decode: (b) => decodeOtlpRequest("metrics", b.bytes) },
  { name: "otlp-logs", typeIs: PROTOBUF, header: ["dd-protocol", "otlp"], pathIncludes: "logs", decode: (b) => decodeOtlpRequest("logs", b.bytes) },
  // Without dd-protocol, the reference reads both sides of /v1/* as the export response.
  { name: "otlp-traces-response", typeIs: PROTOBUF, path: ["/v1/traces"], decode: (b) => decodeOtlpResponse("traces", b.bytes) },
  { name: "otlp-metrics-response", typeIs: PROTOBUF, path: ["/v1/metrics"], decode: (b) => decodeOtlpResponse("metrics", b.bytes) },
  { name: "otlp-logs-response", typeIs: PROTOBUF, path: ["/v1/logs"], decode: (b) => decodeOtlpResponse("logs", b.bytes) },
  // The agent's own payload: span meta expanded and v1 chunks uncompressed. The reference walks
  // it as a list of traces on the library interface, which fails on any non-empty payload.
  { name: "agent-traces-agent", typeIs: PROTOBUF, path: ["/api/v0.2/traces"], interface: ["agent"], decode: (b) => decodeAgentPayload(b.bytes, { spanMeta: "expand", uncompressIdx: true }) },
  { name: "agent-traces-library", typeIs: PROTOBUF, path: ["/api/v0.2/traces"], interface: ["library"], decode: (b) => decodeAgentPayload(b.bytes, { spanMeta: "reject" }) },
  {
    name: "agent-traces",
    typeIs: PROTOBUF,
    path: ["/api/v0.2/traces"],
    decode: (b) => decodeAgentPayload(b.bytes, {}),
    schema: { request: "/content/agent-payload.request.schema.json" },
  },
  { name: "metrics-v3", typeIs: PROTOBUF, path: ["/api/intake/metrics/v3/series"], side: "request", decode: (b) => decodeMetricsV3(b.bytes) },
  { name: "metric-series", typeIs: PROTOBUF, path: ["/api/v2/series"], side: "request", decode: (b) => decodeMetricPayload(b.bytes) },
  { name: "series-response", typeIs: PROTOBUF, path: SERIES, side: "response", decode: (b) => decodeBackendResponse(b.bytes) },
  { name: "sketches", typeIs: PROTOBUF, path: ["/api/beta/sketches"], decode: (b) => decodeSketchPayload(b.bytes) },
  // A tracer with nothing to send, in a client library that picked this content type.
  { name: "empty-traces-form", typeIs: ["application/x-www-form-urlencoded"], path: ["/v0.4/traces"], bodyIs: "[]", decode: () => [] },
  {
    name: "multipart",
    typeStartsWith: "multipart/form-data;",
    decode: (b) => decodeMultipart(b.bytes, b.contentType ?? "", { path: b.path, filesDir: b.filesDir, files: b.files }),
  },
  { name: "text", typeIs: ["text/plain"], decode: (b) => strictAscii(b.bytes) },
  { name: "bytes", decode: raw },
];

export function matches(route: Route, b: Body): boolean {
  const type = b.contentTypeLower;
  if (route.typeIncludes && !(type && route.typeIncludes.some((t) => type.includes(t)))) return false;
  if (route.typeIs && !(type !== undefined && route.typeIs.includes(type))) return false;
  if (route.typeStartsWith !== undefined && !(type && type.startsWith(route.typeStartsWith))) return false;
  if (route.path && !route.path.includes(b.path)) return false;
  if (route.pathIncludes !== undefined && !b.path.includes(route.pathIncludes)) return false;
  if (route.pathStartsWith !== undefined && !b.path.startsWith(route.pathStartsWith)) return false;
  if (route.fromTracer && !b.fromTracer) return false;
  if (route.interface && !route.interface.includes(b.interface)) return false;
  if (route.side && route.side !== b.side) return false;
  if (route.status !== undefined && route.status !== b.statusCode) return false;
  if (route.header && b.header(route.header[0]) !== route.header[1]) return false;
  if (route.bodyIs !== undefined && !(b.bytes.length === route.bodyIs.length && b.bytes.toString("latin1") === route.bodyIs)) return false;
  return true;
}

const DECODING = ROUTES.filter((r): r is DecodingRoute => r.decode !== undefined);

/** The route that decodes a body (the last one matches anything). */
export function routeFor(b: Body): DecodingRoute {
  for (const route of DECODING) if (matches(route, b)) return route;
  return DECODING[DECODING.length - 1];
}

/** A JSON Schema that checks a message's decoded content, by its path (query aside) and side. */
export interface ContentSchema {
  path: string;
  side: "request" | "response";
  /** Only answers with this status. */
  status?: number;
  schema: string;
}

/** The rows' schemas by path: what `validate` checks. */
export const CONTENT_SCHEMAS: readonly ContentSchema[] = ROUTES.flatMap((r) =>
  (r.path ?? []).flatMap((path): ContentSchema[] => [
    ...(r.schema?.request ? [{ path, side: "request" as const, schema: r.schema.request }] : []),
    ...(r.schema?.response ? [{ path, side: "response" as const, status: 200, schema: r.schema.response }] : []),
  ]),
);

/** The stand-in agent's answer on a path: the first row with an answer whose path or prefix matches. */
export function agentAnswerFor(path: string): AgentAnswer | undefined {
  for (const r of ROUTES) {
    if (r.agent && (r.path?.includes(path) || (r.pathStartsWith !== undefined && path.startsWith(r.pathStartsWith)))) return r.agent;
  }
  return undefined;
}

/** What the stand-in agent lists in /info's `endpoints`. */
export const AGENT_ENDPOINTS: readonly string[] = ROUTES.flatMap((r) => r.agent?.advertise ?? []);


function strictAscii(bytes: Buffer): string {
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at >= 0) throw new Error(`UnicodeDecodeError: 'ascii' codec can't decode byte 0x${bytes[at].toString(16)} in position ${at}: ordinal not in range(128)`);
  return bytes.toString("latin1");
}
