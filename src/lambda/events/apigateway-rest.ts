/**
 * API Gateway REST API proxy integration: payload format 1.0, stage "Prod".
 *
 * The path keeps its percent-encoding in `path`, `requestContext.path` and `pathParameters`
 * (query parameters are decoded): so REST APIs deliver it, per the events AWS produced in
 * LocalStack's recorded parity test (tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json,
 * "invocation-payload-with-path-encoded-email") and in hotsock/voker's live capture
 * (vokerhttp/testdata/apigwv1-request.json). AWS's own pages say nothing either way.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { ProxyRequest } from "../request.js";
import { matchResource } from "../routes.js";
import {
  allValues,
  domainPrefix,
  gatewayBody,
  gatewayTime,
  groupHeaders,
  groupQuery,
  domainNameOf,
  lastValues,
  setHeader,
  userAgentOf,
} from "./fields.js";

export const REST_STAGE = "Prod";
/** The placeholder account and API ids AWS SAM's local API uses. */
export const ACCOUNT_ID = "123456789012";
export const API_ID = "1234567890";
const RESOURCE_ID = "123456";

export function buildRestEvent(req: ProxyRequest): APIGatewayProxyEvent {
  const headers = groupHeaders(req.headers, false);
  // The gateway terminates the client's connection: it says which scheme and port it was on.
  setHeader(headers, "X-Forwarded-Proto", "http");
  setHeader(headers, "X-Forwarded-Port", String(req.listenPort));
  const query = groupQuery(req.rawQuery);
  const { resource, pathParameters } = matchResource(req.rawPath, false);
  const { body, isBase64Encoded } = gatewayBody(req);
  const domainName = domainNameOf(req);
  return {
    resource,
    path: req.rawPath,
    httpMethod: req.method,
    headers: lastValues(headers),
    multiValueHeaders: allValues(headers),
    // Absent parameters are null in format 1.0, never an empty object.
    queryStringParameters: query.size ? lastValues(query) : null,
    multiValueQueryStringParameters: query.size ? allValues(query) : null,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: API_ID,
      authorizer: undefined,
      resourceId: RESOURCE_ID,
      resourcePath: resource,
      httpMethod: req.method,
      extendedRequestId: req.requestId,
      requestId: req.requestId,
      requestTime: gatewayTime(req.receivedAt),
      requestTimeEpoch: req.receivedAt.getTime(),
      // The proxy plays a custom domain: the path carries no stage prefix.
      path: req.rawPath,
      stage: REST_STAGE,
      protocol: req.protocol,
      domainName,
      domainPrefix: domainPrefix(domainName),
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: userAgentOf(req),
        userArn: null,
      },
    },
    body: body === "" ? null : body,
    isBase64Encoded,
  };
}
