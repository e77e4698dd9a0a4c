/** API Gateway HTTP API: payload format 2.0, stage "$default", route key "METHOD /path". */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ProxyRequest } from "../request.js";
import { matchResource } from "../routes.js";
import { ACCOUNT_ID, API_ID } from "./apigateway-rest.js";
import { domainPrefix, hostOf } from "./fields.js";
import { buildFormat2Event } from "./format2.js";

export function buildHttpApiEvent(req: ProxyRequest): APIGatewayProxyEventV2 {
  const host = hostOf(req);
  const routeKey = `${req.method} ${req.path}`;
  return buildFormat2Event(req, {
    accountId: ACCOUNT_ID,
    apiId: API_ID,
    routeKey,
    stage: "$default",
    domainName: host,
    domainPrefix: domainPrefix(host),
    pathParameters: matchResource(req.path).pathParameters,
  });
}
