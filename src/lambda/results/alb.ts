/** Application Load Balancer results → HTTP response. */
import { malformed } from "../errors.js";
import type { HttpResponse } from "./http-response.js";
import { bodyTextOf, decodeBase64, flagOf, isObject, mergedHeaders, statusCodeOf } from "./fields.js";

/** "200 OK" → "OK": ALB sends statusDescription's text as the reason phrase. */
function reasonPhrase(description: unknown, statusCode: number): string | undefined {
  if (typeof description !== "string") return undefined;
  const m = /^\s*(\d{3})\s+(.+)$/.exec(description);
  // A phrase that cannot go on the status line (control characters) leaves the standard one.
  return m && Number(m[1]) === statusCode && /^[\t\x20-\x7e\x80-\xff]+$/.test(m[2]) ? m[2] : undefined;
}

/**
 * statusCode is required. headers and multiValueHeaders are both honoured whichever mode the
 * target group is in (the lambda weblogs answer with either), merged as API Gateway does.
 */
export function convertAlbResult(result: unknown): HttpResponse {
  if (!isObject(result)) throw malformed(`a load balancer expects an object with statusCode, got ${JSON.stringify(result)}`);
  const statusCode = statusCodeOf(result);
  const text = bodyTextOf(result);
  const body = flagOf(result, "isBase64Encoded") ? decodeBase64(text) : Buffer.from(text, "utf8");
  return { statusCode, statusMessage: reasonPhrase(result.statusDescription, statusCode), headers: mergedHeaders(result), body };
}
