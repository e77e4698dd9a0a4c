/** API Gateway REST API (payload format 1.0) results → HTTP response. */
import { BINARY_MEDIA_TYPES } from "../events/fields.js";
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

/**
 * Whether the request's Accept names `type` (a binary media type) in its first media range:
 * "API Gateway uses the first Accept header from clients to determine if a response should
 * return binary media" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html).
 * No Accept names nothing: the client gets the base64 text, as API Gateway and the reference
 * proxy (SAM CLI's best match of an empty Accept) answer.
 */
function firstAcceptNames(acceptHeader: string | undefined, type: string): boolean {
  const [range, ...params] = (acceptHeader ?? "").split(",")[0].split(";").map((part) => part.trim().toLowerCase());
  if (range === "" || params.some((p) => /^q=0(\.0*)?$/.test(p))) return false; // q=0: "not acceptable"
  return range === "*/*" || range === `${type.split("/")[0]}/*` || range === type;
}

/**
 * A REST API turns a base64 body back into bytes only for a binary media type that the client
 * asks for; otherwise the client gets the base64 text.
 */
function decodesBinary(req: ProxyRequest, contentType: string | undefined, isBase64Encoded: boolean): boolean {
  if (!isBase64Encoded || contentType === undefined) return false;
  const type = contentType.split(";")[0].trim().toLowerCase();
  const accept = req.headers.find(([name]) => name.toLowerCase() === "accept")?.[1];
  return BINARY_MEDIA_TYPES.includes(type) && firstAcceptNames(accept, type);
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
