/**
 * Application Load Balancer target events, with multi-value headers off (`headers`,
 * `queryStringParameters`: last value wins) or on (`multiValueHeaders`,
 * `multiValueQueryStringParameters`). ALB names headers in lower case.
 *
 * The path keeps its percent-encoding, as ALB passes the request line through (live capture:
 * hotsock/voker vokerhttp/testdata/alb-request.json; ALB's documentation says the same of the
 * query: "If the query parameters are URL-encoded, the load balancer does not decode them",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html).
 */
import type { ALBEvent } from "aws-lambda";
import type { ProxyRequest } from "../request.js";
import { allValues, groupHeaders, groupQuery, header, lastValues, mediaType } from "./fields.js";

export const TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:local:000000000000:targetgroup/local-proxy/0000000000000000";

const TEXT_MEDIA_TYPES = ["application/json", "application/javascript", "application/xml"];

/** ALB sends a body as text only when it is not content-encoded and its type is textual. */
function isTextual(req: ProxyRequest): boolean {
  if (header(req, "content-encoding") !== undefined) return false;
  const type = mediaType(req);
  return type.startsWith("text/") || TEXT_MEDIA_TYPES.includes(type);
}

export function buildAlbEvent(req: ProxyRequest, multiValue: boolean): ALBEvent {
  const headers = groupHeaders(req.headers, true);
  // Values decoded, as the reference proxy sent them (the weblogs expect that), though ALB itself passes them encoded.
  const query = groupQuery(req.rawQuery);
  const textual = req.body.length === 0 || isTextual(req);
  const event: ALBEvent = {
    requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
    httpMethod: req.method,
    path: req.rawPath,
    body: req.body.toString(textual ? "utf8" : "base64"),
    isBase64Encoded: !textual,
  };
  if (multiValue) {
    event.multiValueQueryStringParameters = allValues(query);
    event.multiValueHeaders = allValues(headers);
  } else {
    event.queryStringParameters = lastValues(query);
    event.headers = lastValues(headers);
  }
  return event;
}
