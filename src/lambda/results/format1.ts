/** API Gateway REST API (payload format 1.0) results → HTTP response. */
import { BINARY_MEDIA_TYPES, header } from "../events/fields.js";
import { malformed } from "../errors.js";
import type { ProxyRequest } from "../request.js";
import type { HttpResponse } from "./http-response.js";
import {
  bodyTextOf,
  decodeBase64,
  flagOf,
  isObject,
  mergedHeaders,
  statusCodeOf,
  withDefaultContentType,
} from "./fields.js";

/** A REST API refuses any other key in the result. */
const ALLOWED_KEYS = new Set(["statusCode", "body", "headers", "multiValueHeaders", "isBase64Encoded", "base64Encoded", "cookies"]);

/** Whether the client accepts `type` (no Accept header accepts anything). */
function accepts(acceptHeader: string | undefined, type: string): boolean {
  if (acceptHeader === undefined || acceptHeader.trim() === "") return true;
  const [major] = type.split("/");
  return acceptHeader.split(",").some((entry) => {
    const [range, ...params] = entry.split(";").map((s) => s.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return range === "*/*" || range === `${major}/*` || range === type;
  });
}

/**
 * A REST API turns a base64 body back into bytes only for a binary media type that the client
 * accepts; otherwise the client gets the base64 text.
 */
function decodesBinary(req: ProxyRequest, contentType: string | undefined, isBase64Encoded: boolean): boolean {
  if (!isBase64Encoded || contentType === undefined) return false;
  const type = contentType.split(";")[0].trim().toLowerCase();
  return BINARY_MEDIA_TYPES.includes(type) && accepts(header(req, "accept"), type);
}

export function convertRestResult(result: unknown, req: ProxyRequest): HttpResponse {
  if (!isObject(result)) throw malformed(`a REST API expects an object with statusCode, got ${JSON.stringify(result)}`);
  const unknown = Object.keys(result).filter((key) => !ALLOWED_KEYS.has(key));
  if (unknown.length) throw malformed(`keys a REST API does not allow: ${unknown.join(", ")}`);
  const statusCode = statusCodeOf(result, 200);
  const headers = withDefaultContentType(mergedHeaders(result));
  // base64Encoded, when present, is read before isBase64Encoded.
  const isBase64Encoded = flagOf(result, result.base64Encoded !== undefined ? "base64Encoded" : "isBase64Encoded");
  const text = bodyTextOf(result);
  const contentType = headers.find(([name]) => name.toLowerCase() === "content-type")?.[1];
  const body = decodesBinary(req, contentType, isBase64Encoded) ? decodeBase64(text) : Buffer.from(text, "utf8");
  return { statusCode, headers, body };
}
