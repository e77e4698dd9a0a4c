/**
 * multipart/form-data bodies (profiles, debugger and symbol uploads), as the reference reads
 * them with requests_toolbelt's MultipartDecoder: one item per part with its headers; JSON
 * parts parsed; gzip parts inflated; files that are not JSON exported next to the dumps as
 * `<files dir>/<md5>_<filename>` (the filename made safe here; the reference used it as sent).
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { Json, JsonObject } from "../json/value.js";
import { defineOwn } from "./msgpack.js";
import { loadsJson, JsonTextError } from "./python-json.js";
import { bytesRepr } from "./python-repr.js";
import type { ExportedFile } from "./types.js";
import { utf8OrUndefined } from "./utf8.js";

/** Upload paths whose files are JSON (maybe gzipped) whatever their name. */
const JSON_FILE_PATHS: ReadonlySet<string> = new Set(["/symdb/v1/input", "/api/v2/debugger"]);

export interface MultipartContext {
  path: string;
  filesDir: string;
  files: ExportedFile[];
}

/** The decoded list of parts. `contentType` is the header as sent (its boundary keeps its case). */
export function decodeMultipart(body: Buffer, contentType: string, ctx: MultipartContext): Json[] {
  const decoded: Json[] = [];
  for (const part of splitParts(body, findBoundary(contentType))) {
    const headers: JsonObject = {};
    for (const [name, value] of part.headers) setOwn(headers, name.toLowerCase(), value);
    const item: JsonObject = { headers };
    const partType = typeof headers["content-type"] === "string" ? (headers["content-type"] as string).toLowerCase() : "";

    if (partType.startsWith("application/json")) {
      try {
        item.content = loadsJson(contentOf(part));
      } catch (error) {
        if (error instanceof JsonTextError || !(error instanceof SyntaxError)) throw error;
        item["system-tests-error"] = "Can't decode json file";
        item.raw_content = bytesRepr(contentOf(part));
      }
    } else if (partType === "application/gzip") {
      let inflated: Buffer;
      try {
        inflated = part.content && part.content.length > 0 ? gunzipSync(part.content) : Buffer.alloc(0);
      } catch (error) {
        // The reference drops such a part from the list.
        item["system-tests-error"] = `Can't decompress gzip data: ${(error as Error).message}`;
        continue;
      }
      exportFile(item, headers, inflated, ctx);
    } else if (partType === "application/octet-stream") {
      exportFile(item, headers, part.content, ctx);
    } else if (part.content === null) {
      item.content = null;
    } else {
      const text = utf8OrUndefined(part.content);
      item.content = text ?? bytesRepr(part.content);
    }
    decoded.push(item);
  }
  return decoded;
}

function contentOf(part: Part): Buffer {
  if (part.content === null) throw new TypeError("the JSON object must be str, bytes or bytearray, not NoneType");
  return part.content;
}

/** _deserialize_file_in_multipart_form_data */
function exportFile(item: JsonObject, headers: JsonObject, content: Buffer | null, ctx: MultipartContext): void {
  const disposition = typeof headers["content-disposition"] === "string" ? (headers["content-disposition"] as string) : "<not set>";
  if (!disposition.startsWith("form-data")) {
    item["system-tests-error"] = `Unknown content-disposition: ${disposition}, please contact #apm-shared-testing`;
    item.content = null;
    return;
  }
  const params = new Map<string, string>();
  for (const piece of disposition.split(";")) {
    const eq = piece.indexOf("=");
    if (eq >= 0) params.set(pyStrip(piece.slice(0, eq)), pyStrip(piece.slice(eq + 1)));
  }
  const sent = params.get("filename");
  if (sent === undefined) {
    item["system-tests-error"] = "Filename not found in content-disposition, please contact #apm-shared-testing";
    return;
  }
  let filename = sent.replace(/^"+|"+$/g, "");
  item["system-tests-filename"] = filename;
  if (filename.toLowerCase().endsWith(".gz")) filename = filename.slice(0, -3);

  if (content === null) throw new TypeError("object of type 'NoneType' has no len()");
  if (filename.toLowerCase().endsWith(".json") || JSON_FILE_PATHS.has(ctx.path)) {
    try {
      item.content = loadsJson(content);
      return;
    } catch (error) {
      if (!(error instanceof JsonTextError || error instanceof SyntaxError)) throw error;
      item["system-tests-error"] = "Can't decode json file";
    }
  }
  const md5 = createHash("md5").update(content).digest("hex");
  const path = `${ctx.filesDir}/${md5}_${safeFileName(filename)}`;
  item["system-tests-information"] = "File exported to a separated file";
  item["system-tests-file-path"] = path;
  ctx.files.push({ path, data: content });
}

// Longest name most file systems take is 255 bytes; the md5 prefix takes 33.
const MAX_NAME_BYTES = 200;

/**
 * A file name that stays inside the files folder and reads like the one sent: path
 * separators and control characters cannot appear, "." and ".." segments are dropped, runs of
 * dots shrink to one, and the length is bounded (keeping the extension).
 */
export function safeFileName(name: string): string {
  let safe = name
    .split(/[/\\]+/)
    .filter((segment) => segment !== "" && segment !== "." && segment !== "..")
    .join("_")
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f]/g, "_")
    .replace(/\.{2,}/g, ".");
  if (Buffer.byteLength(safe) > MAX_NAME_BYTES) {
    const dot = safe.lastIndexOf(".");
    const ext = dot > 0 && safe.length - dot <= 16 ? safe.slice(dot) : "";
    safe = truncateUtf8(safe.slice(0, safe.length - ext.length), MAX_NAME_BYTES - Buffer.byteLength(ext)) + ext;
  }
  return safe === "" || safe === "." ? "file" : safe;
}

function truncateUtf8(s: string, maxBytes: number): string {
  let out = "";
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

// ---- requests_toolbelt's MultipartDecoder

interface Part {
  headers: [string, string][];
  /** null for a part made of headers only. */
  content: Buffer | null;
}

function findBoundary(contentType: string): Buffer {
  const info = contentType.split(";").map(pyStrip);
  if (info[0].split("/")[0].toLowerCase() !== "multipart") throw new Error(`NonMultipartContentTypeException: Unexpected mimetype in content-type: '${info[0]}'`);
  let boundary: string | undefined;
  for (const item of info.slice(1)) {
    // str.find returns -1 when there is no "=": the attribute is then all but the last character.
    const eq = item.indexOf("=");
    const attr = eq >= 0 ? item.slice(0, eq) : item.slice(0, -1);
    const value = eq >= 0 ? item.slice(eq + 1) : item;
    if (attr.toLowerCase() === "boundary") boundary = value.replace(/^"+|"+$/g, "");
  }
  if (boundary === undefined) throw new Error("AttributeError: 'MultipartDecoder' object has no attribute 'boundary'");
  return Buffer.from(boundary, "utf8");
}

const CRLF = Buffer.from("\r\n");
const CRLFCRLF = Buffer.from("\r\n\r\n");

function splitParts(content: Buffer, boundary: Buffer): Part[] {
  const marker = Buffer.concat([Buffer.from("--"), boundary]);
  const separator = Buffer.concat([CRLF, marker]);
  const parts: Part[] = [];
  let start = 0;
  for (;;) {
    const at = content.indexOf(separator, start);
    const piece = content.subarray(start, at < 0 ? content.length : at);
    if (isPart(piece)) parts.push(bodyPart(piece.subarray(0, marker.length).equals(marker) ? piece.subarray(marker.length) : piece));
    if (at < 0) return parts;
    start = at + separator.length;
  }
}

function isPart(piece: Buffer): boolean {
  const s = piece.toString("latin1", 0, 4);
  return !(piece.length === 0 || (piece.length === 2 && s === "\r\n") || s === "--\r\n" || (piece.length === 2 && s === "--"));
}

function bodyPart(content: Buffer): Part {
  const split = content.indexOf(CRLFCRLF);
  if (split >= 0) {
    const first = content.subarray(0, split);
    return { headers: first.length > 0 ? parseHeaders(asciiLstrip(first)) : [], content: content.subarray(split + 4) };
  }
  if (content.subarray(-2).equals(CRLF)) return { headers: parseHeaders(asciiStrip(content)), content: null };
  throw new Error("ImproperBodyPartContentException: content does not contain CR-LF-CR-LF");
}

// ---- email.parser.HeaderParser (compat32 policy), on the part's header block

const HEADER_LINE = /^(From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;

function parseHeaders(block: Buffer): [string, string][] {
  const text = utf8OrUndefined(block);
  if (text === undefined) throw new Error("UnicodeDecodeError: part headers are not UTF-8");
  const lines = text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
  const raw: [string, string][] = [];
  let name = "";
  let source: string[] = [];
  const flush = () => {
    if (!name) return;
    const value = source[0].slice(source[0].indexOf(":") + 1).replace(/^[ \t]+/, "") + source.slice(1).join("");
    raw.push([name, value.replace(/[\r\n]+$/, "")]);
    name = "";
    source = [];
  };
  for (const line of lines) {
    if (!HEADER_LINE.test(line)) break; // a blank or non-header line ends the headers
    if (line[0] === " " || line[0] === "\t") {
      if (name) source.push(line); // a first line that continues nothing is dropped
      continue;
    }
    flush();
    if (line.startsWith("From ")) continue; // a mailbox envelope line, not a header
    const colon = line.indexOf(":");
    if (colon === 0) continue; // no name: dropped
    name = line.slice(0, colon);
    source = [line];
  }
  flush();
  // requests' CaseInsensitiveDict: one entry per name, the last spelling and value, first position.
  const byName = new Map<string, [string, string]>();
  for (const [n, v] of raw) byName.set(n.toLowerCase(), [n, v]);
  return [...byName.values()];
}

// ---- small Python string helpers


const ASCII_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
function asciiLstrip(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length && ASCII_SPACE.has(b[i])) i++;
  return b.subarray(i);
}
function asciiStrip(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && ASCII_SPACE.has(b[end - 1])) end--;
  return asciiLstrip(b.subarray(0, end));
}

/** str.strip() */
function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, "");
}

function setOwn(obj: JsonObject, key: string, value: Json): void {
  if (key === "__proto__") defineOwn(obj, key, value);
  else obj[key] = value;
}
