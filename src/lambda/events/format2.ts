/** Payload format 2.0, shared by API Gateway HTTP APIs and Lambda function URLs. */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ProxyRequest } from "../request.js";
import { gatewayBody, gatewayTime, groupHeaders, groupQuery, joinedValues, setHeader, userAgentOf } from "./fields.js";

export interface Format2Options {
  accountId: string;
  apiId: string;
  routeKey: string;
  stage: string;
  /** The path as the front end shows it in rawPath (an HTTP API decodes it, a function URL does not). */
  rawPath: string;
  domainName: string;
  domainPrefix: string;
  /** Replaces the Host header (a function URL is addressed by its own host name). */
  host?: string;
  pathParameters?: Record<string, string> | null;
}

/** Cookie pairs from every Cookie header ("a=1; b=2" → ["a=1", "b=2"]). */
function cookiesOf(req: ProxyRequest): string[] {
  const cookies: string[] = [];
  for (const [name, value] of req.headers) {
    if (name.toLowerCase() !== "cookie") continue;
    for (const part of value.split(";")) if (part.trim()) cookies.push(part.trim());
  }
  return cookies;
}

export function buildFormat2Event(req: ProxyRequest, options: Format2Options): APIGatewayProxyEventV2 {
  const headers = groupHeaders(req.headers, true);
  setHeader(headers, "x-forwarded-proto", "http");
  setHeader(headers, "x-forwarded-port", String(req.listenPort));
  if (options.host !== undefined) setHeader(headers, "host", options.host);
  // Repeated headers are comma-joined; repeated Cookie headers join as one cookie list.
  const joined = joinedValues(headers, ",");
  if (headers.has("cookie")) joined.cookie = headers.get("cookie")!.values.join("; ");
  const query = groupQuery(req.rawQuery);
  const cookies = cookiesOf(req);
  const { body, isBase64Encoded } = gatewayBody(req);
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: options.routeKey,
    rawPath: options.rawPath,
    rawQueryString: req.rawQuery,
    headers: joined,
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId,
      domainName: options.domainName,
      domainPrefix: options.domainPrefix,
      http: {
        method: req.method,
        // Decoded for both front ends (the function URL's rawPath alone keeps the encoding).
        path: req.path,
        protocol: req.protocol,
        sourceIp: req.sourceIp,
        userAgent: userAgentOf(req),
      },
      requestId: req.requestId,
      routeKey: options.routeKey,
      stage: options.stage,
      time: gatewayTime(req.receivedAt),
      timeEpoch: req.receivedAt.getTime(),
    },
    isBase64Encoded,
  };
  // Format 2.0 leaves out what is empty, rather than sending null.
  if (cookies.length) event.cookies = cookies;
  if (query.size) event.queryStringParameters = joinedValues(query, ",");
  if (options.pathParameters) event.pathParameters = options.pathParameters;
  if (body !== "") event.body = body;
  return event;
}
