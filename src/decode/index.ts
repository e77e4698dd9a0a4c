import { headerValue } from "../model/headers.js";
import { TRACER_INTERFACES } from "../interfaces.js";
import { decodeContentEncoding } from "./encoding.js";
import { bytesRepr, bytesReprJson } from "./python-repr.js";
import { BodyTooLargeError, DEFAULT_MAX_BODY_SIZE, MAX_RAW_CONTENT_BYTES } from "./limits.js";
import { routeFor, type Body } from "./routes.js";
import type { DecodeContext, DecodedMessage, MessageToDecode } from "./types.js";

export type { DecodeContext, DecodedMessage, MessageToDecode, ExportedFile } from "./types.js";
export { OutputScratch } from "./output-scratch.js";

/** Responses whose undecodable body is kept as its repr, not reported as a failure (backend errors). */
const ERROR_STATUSES: ReadonlySet<number> = new Set([500, 408, 403]);

/**
 * Decodes one side of an exchange into what the dump shows. Pure: bytes and metadata in,
 * JSON value out. Never throws: a body that cannot be decoded comes back with raw_content
 * and traceback (where the reference lost the whole exchange, or recorded the same).
 */
export function decodeMessage(msg: MessageToDecode, ctx: DecodeContext): DecodedMessage {
  const limit = ctx.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
  let bytes: Buffer;
  try {
    bytes = decodeContentEncoding(msg.body, headerValue(msg.headers, "content-encoding"), limit);
    if (bytes.length > limit) throw new BodyTooLargeError(limit, `the body has ${bytes.length} bytes`);
  } catch (error) {
    return failed(msg.body, error, ctx);
  }
  if (bytes.length === 0) return { length: 0, content: null, files: [] };

  const contentType = headerValue(msg.headers, "content-type");
  const body: Body = {
    bytes,
    side: msg.side,
    interface: msg.interface,
    fromTracer: TRACER_INTERFACES.has(msg.interface),
    path: msg.path,
    statusCode: msg.statusCode,
    contentType,
    contentTypeLower: contentType?.toLowerCase(),
    header: (name) => headerValue(msg.headers, name),
    filesDir: ctx.filesDir,
    files: [],
  };
  try {
    const route = routeFor(body);
    if (route.render && ctx.renderDepth !== undefined) {
      const text = route.render(body, ctx.renderDepth, ctx.scratch);
      if (text !== undefined) return { length: bytes.length, contentText: text, files: [] };
    }
    return { length: bytes.length, content: route.decode(body), files: body.files };
  } catch (error) {
    // A backend error answer is often not of the announced type: kept as is, not a failure.
    if (msg.side === "response" && msg.statusCode !== undefined && ERROR_STATUSES.has(msg.statusCode))
      return ctx.renderDepth !== undefined ? { length: bytes.length, contentText: boundedBytesReprJson(bytes), files: [] } : { length: bytes.length, content: boundedBytesRepr(bytes), files: [] };
    return failed(bytes, error, ctx);
  }
}

function failed(bytes: Buffer, error: unknown, ctx: DecodeContext): DecodedMessage {
  const out: DecodedMessage = { length: bytes.length, traceback: describeError(error), files: [] };
  // For the dump writer, the repr goes straight to its JSON text (no multi-megabyte strings).
  if (ctx.renderDepth !== undefined) out.rawContentText = boundedBytesReprJson(bytes);
  else out.raw_content = boundedBytesRepr(bytes);
  if (error instanceof BodyTooLargeError) out.limitHit = error.message;
  return out;
}

/**
 * Python's repr of the bytes, as the reference writes an undecodable body, but of the first
 * MAX_RAW_CONTENT_BYTES only: the reference wrote all of it (a 64 MB body made a 260 MB dump and
 * could kill the process); the whole body is in the flow record.
 */
export function boundedBytesRepr(bytes: Buffer): string {
  return bytesRepr(bytes.subarray(0, MAX_RAW_CONTENT_BYTES)) + leftOut(bytes);
}

/** boundedBytesRepr as the JSON string the dump writer copies in. */
export function boundedBytesReprJson(bytes: Buffer): Buffer {
  return bytesReprJson(bytes.subarray(0, MAX_RAW_CONTENT_BYTES), leftOut(bytes));
}

function leftOut(bytes: Buffer): string {
  if (bytes.length <= MAX_RAW_CONTENT_BYTES) return "";
  return `... [${bytes.length - MAX_RAW_CONTENT_BYTES} more bytes not shown: st-proxy shows the first ${MAX_RAW_CONTENT_BYTES}; the whole body is in the flow record]`;
}

/** The error's stack, then each cause's, as Python prints chained exceptions. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.reverse().join("\n\nThe above exception was the direct cause of the following exception:\n\n");
}
