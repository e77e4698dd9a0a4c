/**
 * API Gateway HTTP API: payload format 2.0, stage "$default", route key "METHOD /path".
 *
 * An HTTP API decodes the path before the function sees it: `rawPath`, `requestContext.http.path`
 * and `pathParameters` are all percent-decoded ("API Gateway decodes URL-encoded request
 * parameters before passing them to your backend integration",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html;
 * live captures: hotsock/voker vokerhttp/testdata/apigwv2-request.json, fastify/aws-lambda-fastify#169).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ProxyRequest } from "../request.js";
import { matchResource } from "../routes.js";
import { ACCOUNT_ID, API_ID } from "./apigateway-rest.js";
import { domainNameOf, domainPrefix } from "./fields.js";
import { buildFormat2Event } from "./format2.js";

export function buildHttpApiEvent(req: ProxyRequest): APIGatewayProxyEventV2 {
  const domainName = domainNameOf(req);
  const routeKey = `${req.method} ${req.path}`;
  return buildFormat2Event(req, {
    accountId: ACCOUNT_ID,
    apiId: API_ID,
    routeKey,
    stage: "$default",
    rawPath: req.path,
    domainName,
    domainPrefix: domainPrefix(domainName),
    pathParameters: matchResource(req.rawPath, true).pathParameters,
  });
}
