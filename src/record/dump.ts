import { decodeMessage, type ExportedFile, type OutputScratch } from "../decode/index.js";
import { rawJson, type JsonObject } from "../json/value.js";
import { splitTarget, type Exchange } from "../model/exchange.js";
import { foldHeaders } from "../model/headers.js";
import { pythonIsoTimestamp } from "../model/time.js";

// Longest file name most file systems take is 255 bytes; leave room for the counter and suffix.
const MAX_NAME_PATH = 200;

/** `<log folder>/interfaces/<interface>/<counter:05d>_<path, "/" → "_">.json` */
export function dumpFilename(logFolder: string, iface: string, counter: number, target: string): string {
  let name = splitTarget(target).path.replace(/\//g, "_");
  // The reference would crash on a name too long for the file system and lose the dump.
  if (Buffer.byteLength(name) > MAX_NAME_PATH) name = Buffer.from(name).subarray(0, MAX_NAME_PATH).toString("utf8").replace(/\uFFFD+$/, "");
  return `${logFolder}/interfaces/${iface}/${String(counter).padStart(5, "0")}_${name}.json`;
}

export function filesDirFor(logFolder: string, iface: string): string {
  return `${logFolder}/interfaces/${iface}/files`;
}

/**
 * The dump the tests container reads, for one exchange. Pure but for `scratch`: the request's
 * rendered content may be written there (the response's never is, so the two cannot overlap).
 */
export function buildDump(ex: Exchange, logFilename: string, filesDir: string, maxBodySize?: number, scratch?: OutputScratch): { dump: JsonObject; files: ExportedFile[] } {
  const { path } = splitTarget(ex.path);
  // Where request.content and response.content sit in the dump: routes that can render their
  // content straight to text at that depth do (the writer copies it in).
  const ctx = { filesDir, renderDepth: 2, ...(maxBodySize !== undefined ? { maxBodySize } : {}) };
  const files: ExportedFile[] = [];
  const limits: string[] = [];
  const side = (decoded: ReturnType<typeof decodeMessage>, which: string): JsonObject => {
    files.push(...decoded.files);
    if (decoded.limitHit) limits.push(`${which} body not decoded: ${decoded.limitHit}`);
    const out: JsonObject = { length: decoded.length };
    if (decoded.traceback !== undefined) {
      out.raw_content = decoded.rawContentText ? rawJson(decoded.rawContentText) : (decoded.raw_content ?? "");
      out.traceback = decoded.traceback;
    } else out.content = decoded.contentText ? rawJson(decoded.contentText) : (decoded.content ?? null);
    return out;
  };

  const requestSide = side(decodeMessage({ side: "request", interface: ex.interface, method: ex.method, path, headers: foldHeaders(ex.request.headers), body: ex.request.body }, scratch ? { ...ctx, scratch } : ctx), "request");
  let responseSide: JsonObject | null = null;
  if (ex.response && !ex.killed) {
    const { statusCode, headers, body } = ex.response;
    responseSide = side(decodeMessage({ side: "response", interface: ex.interface, method: ex.method, path, headers: foldHeaders(headers), statusCode, body }, ctx), "response");
  }
  const error = [ex.error, ...limits].filter(Boolean).join("; ");
  return { dump: dumpEnvelope(ex, logFilename, requestSide, responseSide, error), files };
}

/**
 * The dump around its two decoded sides (length and content, or raw_content and traceback):
 * the one place that knows the envelope's fields and order. `response` null: no answer shown.
 */
export function dumpEnvelope(ex: Exchange, logFilename: string, request: JsonObject, response: JsonObject | null, error?: string): JsonObject {
  const { path, query } = splitTarget(ex.path);
  const dump: JsonObject = {
    log_filename: logFilename,
    path,
    query,
    host: ex.host,
    port: ex.port,
    method: ex.method,
    request: { timestamp_start: pythonIsoTimestamp(ex.startMicros), headers: foldHeaders(ex.request.headers), ...request },
    response: response && ex.response && { status_code: ex.response.statusCode, headers: foldHeaders(ex.response.headers), ...response },
  };
  if (error) dump.error = error;
  return dump;
}
