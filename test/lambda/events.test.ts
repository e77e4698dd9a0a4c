// The events built for each event type, against hand-written expectations that follow AWS's
// documented payloads (field names and shapes as in the API Gateway, function URL and ALB docs).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import { buildAlbEvent } from "../../src/lambda/events/alb.js";
import { buildHttpApiEvent } from "../../src/lambda/events/apigateway-http.js";
import { buildRestEvent } from "../../src/lambda/events/apigateway-rest.js";
import { buildFunctionUrlEvent } from "../../src/lambda/events/function-url.js";
import { decodePath, splitTarget, type ProxyRequest } from "../../src/lambda/request.js";
import { send } from "./client.js";
import { startRig, type Rig } from "./proxy.js";

// Compile-time: each builder produces the event type @types/aws-lambda describes.
const typed: [
  (r: ProxyRequest) => APIGatewayProxyEvent,
  (r: ProxyRequest) => APIGatewayProxyEventV2,
  (r: ProxyRequest) => LambdaFunctionURLEvent,
  (r: ProxyRequest, multi: boolean) => ALBEvent,
] = [buildRestEvent, buildHttpApiEvent, buildFunctionUrlEvent, buildAlbEvent];
void typed;

const REQUEST_ID = "11111111-2222-3333-4444-555555555555";

/** POST /tag_value/a%20b/200?x=1&x=2&q=%3Cs%3E+t from 10.1.2.3, received 2024-01-02T03:04:05.678Z. */
function sample(overrides: Partial<ProxyRequest> = {}): ProxyRequest {
  return {
    method: "POST",
    rawPath: "/tag_value/a%20b/200",
    path: "/tag_value/a b/200",
    rawQuery: "x=1&x=2&q=%3Cs%3E+t",
    headers: [
      ["Host", "api.example.com:7777"],
      ["User-Agent", "tester/1.0"],
      ["X-Multi", "a"],
      ["x-multi", "b"],
      ["Cookie", "c1=v1; c2=v2"],
      ["Content-Type", "application/json"],
    ],
    body: Buffer.from('{"k":"v"}'),
    sourceIp: "10.1.2.3",
    protocol: "HTTP/1.1",
    listenPort: 7777,
    receivedAt: new Date("2024-01-02T03:04:05.678Z"),
    requestId: REQUEST_ID,
    ...overrides,
  };
}

const EPOCH_MS = 1704164645678; // 2024-01-02T03:04:05.678Z
const TIME = "02/Jan/2024:03:04:05 +0000";

describe("apigateway-rest event (payload format 1.0)", () => {
  test("every documented field, repeats in multiValue…, last value in the single-valued maps", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildRestEvent(sample()))), {
      resource: "/tag_value/{tag_value}/{status_code}",
      path: "/tag_value/a%20b/200",
      httpMethod: "POST",
      headers: {
        Host: "api.example.com:7777",
        "User-Agent": "tester/1.0",
        "X-Multi": "b",
        Cookie: "c1=v1; c2=v2",
        "Content-Type": "application/json",
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Port": "7777",
      },
      multiValueHeaders: {
        Host: ["api.example.com:7777"],
        "User-Agent": ["tester/1.0"],
        "X-Multi": ["a", "b"],
        Cookie: ["c1=v1; c2=v2"],
        "Content-Type": ["application/json"],
        "X-Forwarded-Proto": ["http"],
        "X-Forwarded-Port": ["7777"],
      },
      queryStringParameters: { x: "2", q: "<s> t" },
      multiValueQueryStringParameters: { x: ["1", "2"], q: ["<s> t"] },
      pathParameters: { tag_value: "a%20b", status_code: "200" },
      stageVariables: null,
      requestContext: {
        accountId: "123456789012",
        apiId: "1234567890",
        resourceId: "123456",
        resourcePath: "/tag_value/{tag_value}/{status_code}",
        httpMethod: "POST",
        extendedRequestId: REQUEST_ID,
        requestId: REQUEST_ID,
        requestTime: TIME,
        requestTimeEpoch: EPOCH_MS,
        path: "/tag_value/a%20b/200",
        stage: "Prod",
        protocol: "HTTP/1.1",
        domainName: "api.example.com",
        domainPrefix: "api",
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
          sourceIp: "10.1.2.3",
          user: null,
          userAgent: "tester/1.0",
          userArn: null,
        },
      },
      body: '{"k":"v"}',
      isBase64Encoded: false,
    });
  });

  test("no query and no body are null; a path outside the known routes is its own resource", () => {
    const event = buildRestEvent(sample({ method: "GET", rawPath: "/users", path: "/users", rawQuery: "", body: Buffer.alloc(0) }));
    assert.equal(event.queryStringParameters, null);
    assert.equal(event.multiValueQueryStringParameters, null);
    assert.equal(event.body, null);
    assert.equal(event.resource, "/users");
    assert.equal(event.requestContext.resourcePath, "/users");
    assert.equal(event.pathParameters, null);
  });

  test("known route templates name the resource with or without the template's trailing slash", () => {
    for (const [path, resource, parameters] of [
      ["/params/xyz/", "/params/{path}/", { path: "xyz" }],
      ["/params/xyz", "/params/{path}/", { path: "xyz" }],
      ["/waf/abc", "/waf/{path}", { path: "abc" }],
      ["/waf/", "/waf/", null],
    ] as const) {
      const event = buildRestEvent(sample({ rawPath: path, path }));
      assert.equal(event.resource, resource, path);
      assert.deepEqual(event.pathParameters, parameters, path);
    }
  });

  test("an application/octet-stream body travels base64", () => {
    const event = buildRestEvent(
      sample({ headers: [["Content-Type", "application/octet-stream"]], body: Buffer.from([0, 1, 2, 255, 254]) }),
    );
    assert.equal(event.body, "AAEC//4=");
    assert.equal(event.isBase64Encoded, true);
  });

  test("the media type is matched without its parameters, whitespace or case", () => {
    // RFC 9110 §8.3.1: optional whitespace may surround the ";" before a parameter.
    for (const type of ["application/octet-stream ; x=1", "Application/Octet-Stream", "application/octet-stream;x=1"]) {
      const event = buildRestEvent(sample({ headers: [["Content-Type", type]], body: Buffer.from([0, 255]) }));
      assert.deepEqual([event.body, event.isBase64Encoded], ["AP8=", true], type);
    }
  });

  test("X-Forwarded-Proto and X-Forwarded-Port sent by the client are replaced, whatever their case", () => {
    // The gateway, not the client, says which scheme and port the request came in on.
    const event = buildRestEvent(
      sample({ headers: [["Host", "h"], ["x-forwarded-proto", "https"], ["X-FORWARDED-PORT", "443"]] }),
    );
    const named = (name: string) => Object.entries(event.headers).filter(([n]) => n.toLowerCase() === name);
    assert.deepEqual(named("x-forwarded-proto").map(([, v]) => v), ["http"]);
    assert.deepEqual(named("x-forwarded-port").map(([, v]) => v), ["7777"]);
    const multi = (name: string) => Object.entries(event.multiValueHeaders).filter(([n]) => n.toLowerCase() === name);
    assert.deepEqual(multi("x-forwarded-proto").map(([, v]) => v), [["http"]]);
  });
});

const FORMAT2_HEADERS = {
  "user-agent": "tester/1.0",
  "x-multi": "a,b",
  cookie: "c1=v1; c2=v2",
  "content-type": "application/json",
  "x-forwarded-proto": "http",
  "x-forwarded-port": "7777",
};

describe("apigateway-http event (payload format 2.0)", () => {
  test("every documented field; names lower case, repeats comma-joined, cookies split out", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildHttpApiEvent(sample()))), {
      version: "2.0",
      routeKey: "POST /tag_value/a b/200",
      rawPath: "/tag_value/a b/200",
      rawQueryString: "x=1&x=2&q=%3Cs%3E+t",
      cookies: ["c1=v1", "c2=v2"],
      headers: { host: "api.example.com:7777", ...FORMAT2_HEADERS },
      queryStringParameters: { x: "1,2", q: "<s> t" },
      pathParameters: { tag_value: "a b", status_code: "200" },
      requestContext: {
        accountId: "123456789012",
        apiId: "1234567890",
        domainName: "api.example.com",
        domainPrefix: "api",
        http: { method: "POST", path: "/tag_value/a b/200", protocol: "HTTP/1.1", sourceIp: "10.1.2.3", userAgent: "tester/1.0" },
        requestId: REQUEST_ID,
        routeKey: "POST /tag_value/a b/200",
        stage: "$default",
        time: TIME,
        timeEpoch: EPOCH_MS,
      },
      body: '{"k":"v"}',
      isBase64Encoded: false,
    });
  });

  test("what is absent is left out (no null, no empty list)", () => {
    const event = buildHttpApiEvent(
      sample({ method: "GET", rawPath: "/users", path: "/users", rawQuery: "", headers: [["Host", "h"]], body: Buffer.alloc(0) }),
    );
    for (const key of ["cookies", "queryStringParameters", "pathParameters", "body", "stageVariables"]) {
      assert.equal(key in event, false, key);
    }
    assert.equal(event.rawQueryString, "");
    assert.equal(event.routeKey, "GET /users");
    assert.equal(event.requestContext.http.userAgent, "");
  });

  test("an application/octet-stream body travels base64", () => {
    const event = buildHttpApiEvent(sample({ headers: [["content-type", "application/octet-stream"]], body: Buffer.from([0, 1, 2, 255, 254]) }));
    assert.equal(event.body, "AAEC//4=");
    assert.equal(event.isBase64Encoded, true);
  });
});

describe("function-url event", () => {
  test("format 2.0 as a function URL sends it: $default route and stage, lambda-url domain and Host", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildFunctionUrlEvent(sample()))), {
      version: "2.0",
      routeKey: "$default",
      rawPath: "/tag_value/a%20b/200",
      rawQueryString: "x=1&x=2&q=%3Cs%3E+t",
      cookies: ["c1=v1", "c2=v2"],
      headers: { host: "abcde.lambda-url.us-east-1.on.aws", ...FORMAT2_HEADERS },
      queryStringParameters: { x: "1,2", q: "<s> t" },
      requestContext: {
        accountId: "anonymous",
        apiId: "abcde",
        domainName: "abcde.lambda-url.us-east-1.on.aws",
        domainPrefix: "abcde",
        http: { method: "POST", path: "/tag_value/a b/200", protocol: "HTTP/1.1", sourceIp: "10.1.2.3", userAgent: "tester/1.0" },
        requestId: REQUEST_ID,
        routeKey: "$default",
        stage: "$default",
        time: TIME,
        timeEpoch: EPOCH_MS,
      },
      body: '{"k":"v"}',
      isBase64Encoded: false,
    });
  });
});

const TARGET_GROUP = "arn:aws:elasticloadbalancing:local:000000000000:targetgroup/local-proxy/0000000000000000";

describe("application-load-balancer events", () => {
  test("multi-value headers off: headers and queryStringParameters, last value wins, names lower case", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildAlbEvent(sample(), false))), {
      requestContext: { elb: { targetGroupArn: TARGET_GROUP } },
      httpMethod: "POST",
      path: "/tag_value/a%20b/200",
      queryStringParameters: { x: "2", q: "<s> t" },
      headers: {
        host: "api.example.com:7777",
        "user-agent": "tester/1.0",
        "x-multi": "b",
        cookie: "c1=v1; c2=v2",
        "content-type": "application/json",
      },
      body: '{"k":"v"}',
      isBase64Encoded: false,
    });
  });

  test("multi-value headers on: multiValueHeaders and multiValueQueryStringParameters", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildAlbEvent(sample(), true))), {
      requestContext: { elb: { targetGroupArn: TARGET_GROUP } },
      httpMethod: "POST",
      path: "/tag_value/a%20b/200",
      multiValueQueryStringParameters: { x: ["1", "2"], q: ["<s> t"] },
      multiValueHeaders: {
        host: ["api.example.com:7777"],
        "user-agent": ["tester/1.0"],
        "x-multi": ["a", "b"],
        cookie: ["c1=v1; c2=v2"],
        "content-type": ["application/json"],
      },
      body: '{"k":"v"}',
      isBase64Encoded: false,
    });
  });

  test("the body is base64 unless textual and not content-encoded, as ALB does", () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const cases: [[string, string][], Buffer, string, boolean][] = [
      [[["Content-Type", "application/octet-stream"]], bytes, "AAEC//4=", true],
      [[["Content-Type", "image/png"]], bytes, "AAEC//4=", true],
      [[], bytes, "AAEC//4=", true],
      [[["Content-Type", "text/plain; charset=utf-8"]], Buffer.from("héllo"), "héllo", false],
      [[["Content-Type", "application/json"]], Buffer.from("{}"), "{}", false],
      [[["Content-Type", "application/xml"]], Buffer.from("<a/>"), "<a/>", false],
      [[["Content-Type", "application/javascript"]], Buffer.from("x()"), "x()", false],
      [[["Content-Type", "application/json"], ["Content-Encoding", "gzip"]], Buffer.from("{}"), "e30=", true],
      [[["Content-Type", "application/octet-stream"]], Buffer.alloc(0), "", false],
    ];
    for (const [headers, body, expected, isBase64Encoded] of cases) {
      for (const multi of [false, true]) {
        const event = buildAlbEvent(sample({ headers, body }), multi);
        assert.equal(event.body, expected, JSON.stringify(headers));
        assert.equal(event.isBase64Encoded, isBase64Encoded, JSON.stringify(headers));
      }
    }
  });
});

// What AWS does with the request's path, host and cookies, each with where it is written down.
describe("AWS's rules for the path, domainName and cookies", () => {
  const waf = (overrides: Partial<ProxyRequest> = {}) =>
    sample({ method: "GET", rawPath: "/waf/%3Cscript%3E", path: "/waf/<script>", rawQuery: "", body: Buffer.alloc(0), ...overrides });

  test("REST API: path, requestContext.path and pathParameters keep the percent-encoding", () => {
    // Events AWS produced: LocalStack's parity snapshot recorded against AWS
    // (localstack/localstack tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json,
    // "invocation-payload-with-path-encoded-email": "path": "/proxy-value/api/user/test%2Balias@…")
    // and hotsock/voker's live capture (vokerhttp/testdata/apigwv1-request.json: "/capture/space%20value").
    const event = buildRestEvent(waf());
    assert.equal(event.path, "/waf/%3Cscript%3E");
    assert.equal(event.requestContext.path, "/waf/%3Cscript%3E");
    assert.deepEqual(event.pathParameters, { path: "%3Cscript%3E" });
    assert.equal(event.resource, "/waf/{path}");
  });

  test("HTTP API: rawPath, requestContext.http.path and pathParameters are decoded", () => {
    // "API Gateway decodes URL-encoded request parameters before passing them to your backend
    // integration" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html);
    // live captures: hotsock/voker vokerhttp/testdata/apigwv2-request.json ("rawPath": "/capture/space value"),
    // fastify/aws-lambda-fastify#169 ("/a%2Fb" arrives as "rawPath": "/a/b").
    const event = buildHttpApiEvent(waf());
    assert.equal(event.rawPath, "/waf/<script>");
    assert.equal(event.requestContext.http.path, "/waf/<script>");
    assert.deepEqual(event.pathParameters, { path: "<script>" });
    assert.equal(event.routeKey, "GET /waf/<script>");
  });

  test("function URL: rawPath keeps the encoding, requestContext.http.path is decoded, no pathParameters", () => {
    // Live capture: hotsock/voker vokerhttp/testdata/functionurl-request.json
    // ("rawPath": "/capture/space%20value", "http": {"path": "/capture/space value"}, "pathParameters": null).
    const event = buildFunctionUrlEvent(waf());
    assert.equal(event.rawPath, "/waf/%3Cscript%3E");
    assert.equal(event.requestContext.http.path, "/waf/<script>");
    assert.equal("pathParameters" in event, false);
  });

  test("ALB: the path keeps the encoding, multi-value headers on or off", () => {
    // Live capture: hotsock/voker vokerhttp/testdata/alb-request.json ("path": "/capture/space%20value");
    // ALB passes the request through undecoded (its documentation says so of the query string:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html).
    for (const multi of [false, true]) assert.equal(buildAlbEvent(waf(), multi).path, "/waf/%3Cscript%3E");
  });

  test("requestContext.domainName is the host name without a port, for REST and HTTP APIs", () => {
    // $context.domainName is "the full domain name used to invoke the API"
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html);
    // AWS's endpoints listen on the default port and never name one there (every capture above).
    for (const [host, domainName, prefix] of [
      ["api.example.com:7777", "api.example.com", "api"],
      ["localhost:7777", "localhost", "localhost"],
      ["127.0.0.1:7777", "127.0.0.1", "127"],
      ["[::1]:7777", "[::1]", "[::1]"],
      // An IPv6 literal with an embedded IPv4 address has dots, but no labels.
      ["[::ffff:127.0.0.1]:7777", "[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]"],
      ["weblog", "weblog", "weblog"],
      [undefined, "localhost", "localhost"],
    ] as const) {
      const headers: [string, string][] = host === undefined ? [] : [["Host", host]];
      const rest = buildRestEvent(waf({ headers })).requestContext;
      const http = buildHttpApiEvent(waf({ headers })).requestContext;
      assert.deepEqual([rest.domainName, rest.domainPrefix], [domainName, prefix], `REST, Host ${host}`);
      assert.deepEqual([http.domainName, http.domainPrefix], [domainName, prefix], `HTTP API, Host ${host}`);
    }
  });

  test("format 2.0: repeated Cookie lines all join the cookies list, and one cookie header", () => {
    // "cookies": every cookie of the request
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
    // payload format 2.0; https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads);
    // several Cookie lines fold into one with "; " (RFC 9113 §8.2.3), never with the "," other repeats use.
    const headers: [string, string][] = [
      ["Host", "h"],
      ["Cookie", "a=1; b=2"],
      ["X-Other", "x"],
      ["cookie", "c=3"],
    ];
    for (const build of [buildHttpApiEvent, buildFunctionUrlEvent]) {
      const event = build(waf({ headers }));
      assert.deepEqual(event.cookies, ["a=1", "b=2", "c=3"], build.name);
      assert.equal(event.headers.cookie, "a=1; b=2; c=3", build.name);
    }
  });

  test("format 2.0: empty cookie pairs (a trailing \"; \", \"; ;\") are no cookies", () => {
    const headers: [string, string][] = [
      ["Host", "h"],
      ["Cookie", "a=1; ; b=2; "],
    ];
    for (const build of [buildHttpApiEvent, buildFunctionUrlEvent]) {
      assert.deepEqual(build(waf({ headers })).cookies, ["a=1", "b=2"], build.name);
    }
  });

  test("requestTime / time: day/Mon/year:hh:mm:ss +0000 in UTC, English month abbreviations", () => {
    // $context.requestTime, "CLF-formatted" (dd/MMM/yyyy:HH:mm:ss +-hhmm), in the mapping template
    // reference linked above; the month is always the English abbreviation.
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    for (let month = 0; month < 12; month++) {
      const receivedAt = new Date(Date.UTC(2025, month, 9, 23, 5, 7));
      const expected = `09/${months[month]}/2025:23:05:07 +0000`;
      assert.equal(buildRestEvent(waf({ receivedAt })).requestContext.requestTime, expected);
      assert.equal(buildHttpApiEvent(waf({ receivedAt })).requestContext.time, expected);
    }
  });
});

describe("events off the wire (real sockets)", () => {
  const types = ["apigateway-rest", "apigateway-http", "function-url", "application-load-balancer", "application-load-balancer-multi"];
  const rigs = new Map<string, Rig>();
  before(async () => {
    for (const type of types) rigs.set(type, await startRig(type));
  });
  after(async () => {
    for (const rig of rigs.values()) await rig.close();
  });

  for (const type of types) {
    test(`${type}: method, raw target, repeated headers, client address and time come from the request`, async () => {
      const rig = rigs.get(type)!;
      const before = Date.now();
      const reply = await send(rig.proxy.port, {
        method: "PUT",
        path: "/waf/%3Cx%3E?a=1&a=2",
        headers: [
          ["X-Rep", "one"],
          ["X-Rep", "two"],
          ["Content-Type", "application/octet-stream"],
        ],
        body: Buffer.from([0, 1, 2, 255, 254]),
      });
      const afterMs = Date.now();
      assert.equal(reply.status, 200);
      const event = JSON.parse(reply.body.toString());
      assert.deepEqual(rig.rie.events.at(-1), event);
      assert.equal(event.body, "AAEC//4=");
      assert.equal(event.isBase64Encoded, true);
      if (type.startsWith("application-load-balancer")) {
        assert.equal(event.httpMethod, "PUT");
        assert.equal(event.path, "/waf/%3Cx%3E");
        if (type.endsWith("multi")) {
          assert.deepEqual(event.multiValueHeaders["x-rep"], ["one", "two"]);
          assert.deepEqual(event.multiValueQueryStringParameters, { a: ["1", "2"] });
        } else {
          assert.equal(event.headers["x-rep"], "two");
          assert.deepEqual(event.queryStringParameters, { a: "2" });
        }
        return;
      }
      if (type === "apigateway-rest") {
        assert.equal(event.httpMethod, "PUT");
        assert.equal(event.path, "/waf/%3Cx%3E");
        assert.equal(event.resource, "/waf/{path}");
        assert.equal(event.requestContext.domainName, "127.0.0.1");
        assert.deepEqual(event.multiValueHeaders["X-Rep"], ["one", "two"]);
        assert.equal(event.headers["X-Forwarded-Port"], String(rig.proxy.port));
        assert.equal(event.headers.Host, `127.0.0.1:${rig.proxy.port}`);
        const rc = event.requestContext;
        assert.equal(rc.identity.sourceIp, "127.0.0.1");
        assert.match(rc.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.ok(rc.requestTimeEpoch >= before && rc.requestTimeEpoch <= afterMs);
        assert.match(rc.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
        return;
      }
      assert.equal(event.rawPath, type === "function-url" ? "/waf/%3Cx%3E" : "/waf/<x>");
      assert.equal(event.requestContext.http.path, "/waf/<x>");
      assert.equal(event.rawQueryString, "a=1&a=2");
      assert.equal(event.headers["x-rep"], "one,two");
      assert.equal(event.headers["x-forwarded-port"], String(rig.proxy.port));
      const rc = event.requestContext;
      assert.equal(rc.http.method, "PUT");
      assert.equal(rc.http.sourceIp, "127.0.0.1");
      assert.ok(rc.timeEpoch >= before && rc.timeEpoch <= afterMs);
      if (type === "function-url") assert.equal(event.headers.host, "abcde.lambda-url.us-east-1.on.aws");
      else {
        assert.equal(event.headers.host, `127.0.0.1:${rig.proxy.port}`);
        assert.equal(rc.domainName, "127.0.0.1");
      }
    });
  }
});

test("request targets: origin form, absolute form (as proxies receive), and odd ones", () => {
  assert.deepEqual(splitTarget("/a%20b/c?x=1&y"), { rawPath: "/a%20b/c", rawQuery: "x=1&y" });
  assert.deepEqual(splitTarget("/plain"), { rawPath: "/plain", rawQuery: "" });
  assert.deepEqual(splitTarget("/q?"), { rawPath: "/q", rawQuery: "" });
  assert.deepEqual(splitTarget("http://weblog:7777/a%20b?x=%3C"), { rawPath: "/a%20b", rawQuery: "x=%3C" });
  assert.deepEqual(splitTarget("*"), { rawPath: "/*", rawQuery: "" });
  assert.equal(decodePath("/waf/%3Cscript%3E"), "/waf/<script>");
  assert.equal(decodePath("/bad/%E0%A4%A"), "/bad/%E0%A4%A", "a malformed escape leaves the path as sent");
});
