/**
 * Flow records as st-proxy keeps them while recording: one append-only file per interface
 * (`<log folder>/interfaces/.st-proxy/flows/<interface>.flows`), each record the exchange's
 * metadata as one JSON line and both bodies exactly as on the wire, raw:
 *
 *   #st-proxy-flow 1 <meta bytes> <request body bytes> <response body bytes>\n
 *   <meta JSON>\n
 *   <request body><response body>\n
 *
 * One write per record, no base64, no file per exchange (measured: the per-exchange base64
 * JSON file was a third of the recording cost of a small exchange). A crash mid-write leaves at
 * most an incomplete last record, which the lengths reveal: readers leave it out and the next
 * writer cuts it off before appending. The corpus form (one `.flow.json` per exchange, bodies
 * in base64) is still read everywhere and can be exported (`st-proxy replay export`).
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writevSync } from "node:fs";
import { join } from "node:path";
import type { Exchange } from "../model/exchange.js";
import type { RawHeaders } from "../model/headers.js";
import { flowFields, type FlowRecord } from "./flow.js";
import { parseTimestamp } from "../model/time.js";

export const FLOW_LOG_SUFFIX = ".flows";
const MAGIC = "#st-proxy-flow 1 ";
const HEADER = /^#st-proxy-flow 1 (\d+) (\d+) (\d+)\n/;
const MAX_HEADER = 80;
const NEWLINE = Buffer.from("\n");

/** What a record says besides its bodies: the corpus form's fields without the base64 bodies. */
export type FlowMeta = Omit<FlowRecord, "request" | "response" | "log_filename"> & {
  counter: number;
  log_filename: string;
  request: { headers: RawHeaders };
  response: { status_code: number; headers: RawHeaders } | null;
};

/** One record's bytes, ready for a single write. */
export function encodeFlowRecord(ex: Exchange, counter: number, logFilename: string): Buffer[] {
  const meta: FlowMeta = {
    counter,
    log_filename: logFilename,
    ...flowFields(ex),
    request: { headers: ex.request.headers },
    response: ex.response && { status_code: ex.response.statusCode, headers: ex.response.headers },
  };
  const json = Buffer.from(JSON.stringify(meta) + "\n");
  const request = ex.request.body;
  const response = ex.response?.body ?? Buffer.alloc(0);
  const header = Buffer.from(`${MAGIC}${json.length - 1} ${request.length} ${response.length}\n`);
  return [header, json, request, response, NEWLINE];
}

/** Appends records to the per-interface files of a flows folder; one open file per interface. */
export class FlowLogWriter {
  private readonly files = new Map<string, { fd: number; size: number }>();

  constructor(private readonly dir: string) {}

  /** Appends one record, whole or not at all (a failed write is cut off again); throws on failure. */
  append(iface: string, parts: Buffer[]): void {
    const file = this.open(iface);
    const length = parts.reduce((n, p) => n + p.length, 0);
    try {
      const written = writevSync(file.fd, parts);
      if (written !== length) throw Object.assign(new Error(`short write: ${written} of ${length} bytes`), { code: "ESHORT" });
      file.size += length;
    } catch (error) {
      try {
        ftruncateSync(file.fd, file.size);
      } catch {}
      throw error;
    }
  }

  close(): void {
    for (const { fd } of this.files.values()) closeSync(fd);
    this.files.clear();
  }

  private open(iface: string): { fd: number; size: number } {
    const known = this.files.get(iface);
    // A file removed under us (the log folder cleaned between runs) is made again.
    if (known && fstatSync(known.fd).nlink > 0) return known;
    if (known) closeSync(known.fd);
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, iface + FLOW_LOG_SUFFIX);
    const fd = openSync(path, "a+");
    // Cut off an incomplete last record (a crash of an earlier run), so that appends start clean.
    const length = fstatSync(fd).size;
    const size = completeLength(fd, length);
    if (size !== length) ftruncateSync(fd, size);
    const file = { fd, size };
    this.files.set(iface, file);
    return file;
  }
}

/** Where one record sits in its file. */
export interface FlowLogEntry {
  file: string;
  offset: number;
  meta: FlowMeta;
  requestAt: number;
  requestLength: number;
  responseLength: number;
}

/**
 * The records of one flow log, in file order, read by their headers (bodies are not read).
 * `incomplete` is set when the file ends in a record cut short (left out).
 */
export function scanFlowLog(file: string): { entries: FlowLogEntry[]; incomplete?: string } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const entries: FlowLogEntry[] = [];
    let offset = 0;
    while (offset < size) {
      const record = readRecordHeader(fd, offset, size);
      if (typeof record === "string") return { entries, incomplete: `${file}: byte ${offset}: ${record}` };
      const metaBytes = Buffer.alloc(record.metaLength);
      readSync(fd, metaBytes, 0, record.metaLength, record.metaAt);
      let meta: FlowMeta;
      try {
        meta = JSON.parse(metaBytes.toString("utf8")) as FlowMeta;
      } catch (error) {
        return { entries, incomplete: `${file}: byte ${offset}: unreadable metadata (${(error as Error).message})` };
      }
      entries.push({ file, offset, meta, requestAt: record.bodyAt, requestLength: record.requestLength, responseLength: record.responseLength });
      offset = record.end;
    }
    return { entries };
  } finally {
    closeSync(fd);
  }
}

/** The exchange of one record, bodies read from the file. */
export function readFlowLogEntry(entry: FlowLogEntry): Exchange {
  const fd = openSync(entry.file, "r");
  try {
    const body = (at: number, length: number) => {
      const b = Buffer.alloc(length);
      if (length > 0 && readSync(fd, b, 0, length, at) !== length) throw new Error(`${entry.file}: record at byte ${entry.offset} is cut short`);
      return b;
    };
    const m = entry.meta;
    const exchange: Exchange = {
      interface: m.interface,
      method: m.method,
      path: m.path,
      host: m.host,
      port: m.port,
      startMicros: parseTimestamp(m.timestamp_start),
      request: { headers: m.request.headers, body: body(entry.requestAt, entry.requestLength) },
      response: m.response && { statusCode: m.response.status_code, headers: m.response.headers, body: body(entry.requestAt + entry.requestLength, entry.responseLength) },
    };
    if (m.killed) exchange.killed = true;
    if (m.error) exchange.error = m.error;
    return exchange;
  } finally {
    closeSync(fd);
  }
}

interface RecordHeader {
  metaAt: number;
  metaLength: number;
  bodyAt: number;
  requestLength: number;
  responseLength: number;
  end: number;
}

/** A record's header at `offset`, or why there is no complete record there. */
function readRecordHeader(fd: number, offset: number, size: number): RecordHeader | string {
  const head = Buffer.alloc(Math.min(MAX_HEADER, size - offset));
  readSync(fd, head, 0, head.length, offset);
  const m = HEADER.exec(head.toString("latin1"));
  if (!m) return head.toString("latin1").startsWith(MAGIC.slice(0, head.length)) && head.length < MAX_HEADER ? "incomplete record header" : "not a flow record header";
  const metaAt = offset + m[0].length;
  const metaLength = Number(m[1]);
  const requestLength = Number(m[2]);
  const responseLength = Number(m[3]);
  const bodyAt = metaAt + metaLength + 1;
  const end = bodyAt + requestLength + responseLength + 1;
  if (end > size) return `incomplete record (${end - offset} bytes announced, ${size - offset} present)`;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, end - 1);
  if (last[0] !== 0x0a) return "record does not end where its lengths say";
  return { metaAt, metaLength, bodyAt, requestLength, responseLength, end };
}

/** Length of the file's complete records, from the start. */
function completeLength(fd: number, size: number): number {
  let offset = 0;
  while (offset < size) {
    const record = readRecordHeader(fd, offset, size);
    if (typeof record === "string") break;
    offset = record.end;
  }
  return offset;
}
