/** Payload format 2.0 results (HTTP APIs, function URLs) → HTTP response. */
import type { RawHeaders } from "../../model/headers.js";
import { malformed } from "../errors.js";
import type { HttpResponse } from "./http-response.js";
import { bodyTextOf, decodeBase64, flagOf, isObject, singleHeaders, statusCodeOf, withDefaultContentType } from "./fields.js";

/**
 * With statusCode, the result is a response description; anything else the function returns
 * (any JSON) is the body of a 200 application/json response, as API Gateway does.
 */
export function convertFormat2Result(result: unknown, payload: string): HttpResponse {
  if (!isObject(result) || !("statusCode" in result)) {
    return { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from(payload, "utf8") };
  }
  const statusCode = statusCodeOf(result);
  const headers: RawHeaders = singleHeaders(result);
  const cookies = result.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== "string")) {
      throw malformed(`cookies must be a list of strings, got ${JSON.stringify(cookies)}`);
    }
    // Each cookie becomes its own Set-Cookie header.
    for (const cookie of cookies as string[]) headers.push(["Set-Cookie", cookie]);
  }
  const text = bodyTextOf(result);
  const body = flagOf(result, "isBase64Encoded") ? decodeBase64(text) : Buffer.from(text, "utf8");
  return { statusCode, headers: withDefaultContentType(headers), body };
}
