import type { Exchange } from "../model/exchange.js";
import type { RawHeaders } from "../model/headers.js";
import { flowTimestamp, parseTimestamp } from "../model/time.js";

/** The flow record file format (see ../shared/corpus/README.md): bodies base64, as on the wire. */
export interface FlowRecord {
  interface: string;
  method: string;
  path: string;
  host: string;
  port: number;
  timestamp_start: string;
  log_filename?: string;
  killed?: boolean;
  error?: string;
  request: { headers: RawHeaders; body_b64: string };
  response: { status_code: number; headers: RawHeaders; body_b64: string } | null;
}

/** The fields of a flow record besides its sides (shared with the flow log's metadata). */
export function flowFields(ex: Exchange): Omit<FlowRecord, "request" | "response"> {
  const fields: Omit<FlowRecord, "request" | "response"> = { interface: ex.interface, method: ex.method, path: ex.path, host: ex.host, port: ex.port, timestamp_start: flowTimestamp(ex.startMicros) };
  if (ex.killed) fields.killed = true;
  if (ex.error) fields.error = ex.error;
  return fields;
}

export function toFlowRecord(ex: Exchange, logFilename?: string): FlowRecord {
  return {
    ...flowFields(ex),
    ...(logFilename !== undefined ? { log_filename: logFilename } : {}),
    request: { headers: ex.request.headers, body_b64: ex.request.body.toString("base64") },
    response: ex.response && { status_code: ex.response.statusCode, headers: ex.response.headers, body_b64: ex.response.body.toString("base64") },
  };
}

/** Reads a parsed flow record, checking its shape; throws with the offending field named. */
export function fromFlowRecord(value: unknown): { exchange: Exchange; logFilename?: string } {
  const r = object(value, "flow record");
  const request = object(r.request, "request");
  const response = r.response === null || r.response === undefined ? null : object(r.response, "response");
  const exchange: Exchange = {
    interface: string(r.interface, "interface"),
    method: string(r.method, "method"),
    path: string(r.path, "path"),
    host: string(r.host, "host"),
    port: integer(r.port, "port"),
    startMicros: parseTimestamp(string(r.timestamp_start, "timestamp_start")),
    request: { headers: headers(request.headers, "request.headers"), body: base64(request.body_b64, "request.body_b64") },
    response: response && {
      statusCode: integer(response.status_code, "response.status_code"),
      headers: headers(response.headers, "response.headers"),
      body: base64(response.body_b64, "response.body_b64"),
    },
  };
  if (r.killed === true) exchange.killed = true;
  if (typeof r.error === "string") exchange.error = r.error;
  return { exchange, logFilename: typeof r.log_filename === "string" ? r.log_filename : undefined };
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${what}: expected an object`);
  return v as Record<string, unknown>;
}
function string(v: unknown, what: string): string {
  if (typeof v !== "string") throw new Error(`${what}: expected a string`);
  return v;
}
function integer(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`${what}: expected an integer`);
  return v;
}
function base64(v: unknown, what: string): Buffer {
  if (v === undefined || v === null) return Buffer.alloc(0);
  return Buffer.from(string(v, what), "base64");
}
function headers(v: unknown, what: string): RawHeaders {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === "string" && typeof h[1] === "string"))
    throw new Error(`${what}: expected a list of [name, value] string pairs`);
  return v as RawHeaders;
}
