/**
 * A Lambda function URL: payload format 2.0 with route key and stage "$default", addressed as
 * https://<url-id>.lambda-url.<region>.on.aws (the Host header says so too).
 * `rawPath` keeps the percent-encoding the client sent, `requestContext.http.path` is decoded
 * (live capture: hotsock/voker vokerhttp/testdata/functionurl-request.json).
 */
import type { LambdaFunctionURLEvent } from "aws-lambda";
import type { ProxyRequest } from "../request.js";
import { buildFormat2Event } from "./format2.js";

/** The url id and region the reference proxy presented. */
export const FUNCTION_URL_ID = "abcde";
export const FUNCTION_URL_REGION = "us-east-1";
export const FUNCTION_URL_DOMAIN = `${FUNCTION_URL_ID}.lambda-url.${FUNCTION_URL_REGION}.on.aws`;

export function buildFunctionUrlEvent(req: ProxyRequest): LambdaFunctionURLEvent {
  return buildFormat2Event(req, {
    // Function URLs without IAM auth name no caller account.
    accountId: "anonymous",
    apiId: FUNCTION_URL_ID,
    routeKey: "$default",
    stage: "$default",
    rawPath: req.rawPath,
    domainName: FUNCTION_URL_DOMAIN,
    domainPrefix: FUNCTION_URL_ID,
    host: FUNCTION_URL_DOMAIN,
  });
}
