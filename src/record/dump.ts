import { decodeMessage, type ExportedFile } from "../decode/index.js";
import { rawJson, type JsonObject } from "../json/value.js";
import { splitTarget, type Exchange } from "./exchange.js";
import { foldHeaders } from "./headers.js";
import { pythonIsoTimestamp } from "./time.js";

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

/** The dump the tests container reads, for one exchange. Pure. */
export function buildDump(ex: Exchange, logFilename: string, filesDir: string): { dump: JsonObject; files: ExportedFile[] } {
  const { path, query } = splitTarget(ex.path);
  // Where request.content and response.content sit in the dump: routes that can render their
  // content straight to text at that depth do (the writer copies it in).
  const ctx = { filesDir, renderDepth: 2 };
  const files: ExportedFile[] = [];
  const side = (decoded: ReturnType<typeof decodeMessage>): JsonObject => {
    files.push(...decoded.files);
    const out: JsonObject = { length: decoded.length };
    if (decoded.traceback !== undefined) {
      out.raw_content = decoded.raw_content ?? "";
      out.traceback = decoded.traceback;
    } else out.content = decoded.contentText ? rawJson(decoded.contentText) : (decoded.content ?? null);
    return out;
  };

  const requestHeaders = foldHeaders(ex.request.headers);
  const request: JsonObject = {
    timestamp_start: pythonIsoTimestamp(ex.startMicros),
    headers: requestHeaders,
    ...side(decodeMessage({ side: "request", interface: ex.interface, method: ex.method, path, headers: requestHeaders, body: ex.request.body }, ctx)),
  };

  let response: JsonObject | null = null;
  if (ex.response && !ex.killed) {
    const responseHeaders = foldHeaders(ex.response.headers);
    response = {
      status_code: ex.response.statusCode,
      headers: responseHeaders,
      ...side(
        decodeMessage(
          { side: "response", interface: ex.interface, method: ex.method, path, headers: responseHeaders, statusCode: ex.response.statusCode, body: ex.response.body },
          ctx,
        ),
      ),
    };
  }

  const dump: JsonObject = { log_filename: logFilename, path, query, host: ex.host, port: ex.port, method: ex.method, request, response };
  if (ex.error) dump.error = ex.error;
  return { dump, files };
}
