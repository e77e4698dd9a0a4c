// Issue 5's acceptance test: system-tests' AWS Lambda scenario on one machine, on loopback.
//
//   test ──HTTP──▶ st-proxy lambda-proxy (each event type in turn)
//                     └─invoke API─▶ RIE stand-in + handler with dd-trace@5 (test/fixtures/lambda/function.cjs)
//                                       └─/v0.4/traces─▶ st-proxy serve `library` ──▶ extension stand-in
//   extension stand-in ──CONNECT + TLS (AgentPayload, gzip)─▶ st-proxy serve `agent` (mocked backend)
//
// The assertions are read from the dumps only. How the test knows which trace is its request's:
// it picks the trace id itself and sends it as x-datadog-trace-id (with a parent id and a
// sampling priority); the handler continues that trace, as datadog-lambda-js does from the
// event's headers. So the id sought in the dumps is a value the test chose, not one the code
// under test produced, and it is above 2^63 to prove 64-bit exactness on both legs.
// How the event's shape reaches a dump: the handler tags its span with the event exactly as it
// received it (JSON, tag "lambda.event"); the library dump holds that span, and the agent dump
// the same span again after the extension stand-in re-encoded it. The expected shapes are those
// AWS documents for each front end (format 1.0 REST, format 2.0 HTTP API / function URL, ALB
// with multi-value headers off / on), and the fields follow AWS's rules: the path decoded or
// kept encoded as each front end delivers it, domainName without a port, epochs in milliseconds
// of the moment the request was sent (sources cited in test/lambda/events.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, ROOT } from "../helpers/shared.js";
import { startServe, tempDir, type ServeProcess } from "../helpers/serve.js";
import { readDumps } from "../helpers/dumps.js";
import { send } from "../lambda/client.js";
import { startExtensionStandIn, type ExtensionStandIn } from "../fixtures/lambda/extension-stand-in.js";

const FUNCTION = join(ROOT, "test", "fixtures", "lambda", "function.cjs");
const EVENT_TYPES = ["apigateway-rest", "apigateway-http", "function-url", "application-load-balancer", "application-load-balancer-multi"] as const;
type EventType = (typeof EVENT_TYPES)[number];

// Hand-picked ids, one trace per event type: trace ids above 2^63, parent ids above 2^53.
const traceIdOf = (i: number) => 18_000_000_000_000_000_000n + BigInt(i + 1) * 1_000_003n;
const parentIdOf = (i: number) => 9_007_199_254_740_993n + BigInt(i) * 7n;

// Sent percent-encoded; HTTP APIs decode it, REST APIs, function URLs' rawPath and ALB keep it.
const PATH = "/lambda-scenario/items/caf%C3%A9%20%3Cx%3E";
const DECODED_PATH = "/lambda-scenario/items/café <x>";
const QUERY = "color=blue&size=2";
const BODY = '{"hello":"lambda"}';
const USER_AGENT = "lambda-scenario-test";

/** Environment without proxy settings (loopback only), plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(name) || name.startsWith("DD_") || name.startsWith("AWS_")) delete env[name];
  return { ...env, ...extra };
}

interface Child {
  child: ChildProcessWithoutNullStreams;
  port: number;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Spawns a program and waits for the first line matching `listening` (its port in group 1). */
function startChild(args: string[], env: NodeJS.ProcessEnv, listening: RegExp): Promise<Child> {
  const child = spawn(process.execPath, args, { env });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.stderr.on("data", (c: Buffer) => (out += c));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c;
      const m = listening.exec(out);
      if (m)
        resolve({
          child,
          port: Number(m[1]),
          output: () => out,
          stop: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            return exited;
          },
        });
    });
    exited.then((code) => reject(new Error(`${args.join(" ")} exited (${code}) before listening:\n${out}`)));
  });
}

/** The v0.4 spans of every library trace submission in the dumps, with their dump. */
function librarySpans(logFolder: string): { dump: any; span: any }[] {
  return readDumps(logFolder, "library")
    .filter((d) => d.path === "/v0.4/traces")
    .flatMap((dump) => (dump.request.content as any[][]).flat().map((span) => ({ dump, span })));
}

/** The protobuf spans (MessageToDict) of every AgentPayload in the agent dumps, with their dump. */
function agentSpans(logFolder: string): { dump: any; span: any }[] {
  return readDumps(logFolder, "agent")
    .filter((d) => d.path === "/api/v0.2/traces")
    .flatMap((dump) => (dump.request.content?.tracerPayloads ?? []).flatMap((tp: any) => tp.chunks.flatMap((c: any) => c.spans.map((span: any) => ({ dump, span })))));
}

/** Waits until every chosen trace id is in both dumps, re-reading them; a bound only to fail with a message. */
async function waitForTraces(logFolder: string, ids: bigint[], ext: ExtensionStandIn): Promise<void> {
  for (let i = 0; ; i++) {
    const lib = new Set(librarySpans(logFolder).map(({ span }) => BigInt(span.trace_id)));
    const agt = new Set(agentSpans(logFolder).map(({ span }) => BigInt(span.traceID)));
    const missing = ids.filter((id) => !lib.has(id) || !agt.has(id));
    if (missing.length === 0) return;
    if (i > 600) {
      throw new Error(
        `trace ids missing from the dumps: ${missing.join(", ")}\nextension stand-in: ${JSON.stringify({ tracer: ext.tracerRequests, forwarded: ext.forwarded })}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lowerCaseKeys = (o: unknown) => typeof o === "object" && o !== null && Object.keys(o).every((k) => k === k.toLowerCase());

/** When a request was sent and answered (ms since the epoch). */
interface Window {
  sent: number;
  answered: number;
}

/** An epoch in milliseconds within the request's window, and the gateway time string of that same second. */
function assertTimes(at: string, epoch: unknown, time: unknown, window: Window): void {
  assert.equal(typeof epoch, "number", at);
  assert.ok((epoch as number) >= window.sent && (epoch as number) <= window.answered, `${at}: epoch ${epoch} in ms within [${window.sent}, ${window.answered}]`);
  const d = new Date(epoch as number);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number) => String(n).padStart(2, "0");
  const expected = `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  assert.equal(time, expected, `${at}: the time string says the epoch's second`);
}

/** The event as AWS documents it for each front end, for the request this test sends. */
function assertEventShape(type: EventType, ev: any, traceId: bigint, window: Window): void {
  const id = String(traceId);
  const at = `${type} event`;
  switch (type) {
    case "apigateway-rest":
      // Payload format 1.0: headers both single- and multi-valued, names as sent; query decoded;
      // a requestContext with stage, resource path and caller identity; no format 2.0 fields.
      for (const key of ["resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded"])
        assert.ok(key in ev, `${at} has ${key}`);
      assert.equal(ev.version, undefined, at);
      assert.equal(ev.rawPath, undefined, at);
      assert.equal(ev.httpMethod, "POST", at);
      // A REST API keeps the path's encoding, here and in requestContext.path.
      assert.equal(ev.path, PATH, at);
      assert.equal(ev.requestContext.path, PATH, at);
      assert.equal(ev.requestContext.domainName, "127.0.0.1", `${at}: domainName without a port`);
      assert.equal(ev.requestContext.domainPrefix, "127", at);
      assertTimes(at, ev.requestContext.requestTimeEpoch, ev.requestContext.requestTime, window);
      assert.match(ev.requestContext.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, at);
      assert.equal(ev.headers["x-datadog-trace-id"], id, at);
      assert.deepEqual(ev.multiValueHeaders["x-datadog-trace-id"], [id], at);
      assert.deepEqual(ev.queryStringParameters, { color: "blue", size: "2" }, at);
      assert.deepEqual(ev.multiValueQueryStringParameters, { color: ["blue"], size: ["2"] }, at);
      assert.equal(ev.requestContext.stage, "Prod", at);
      assert.equal(ev.requestContext.httpMethod, "POST", at);
      assert.equal(typeof ev.requestContext.resourcePath, "string", at);
      assert.equal(ev.requestContext.identity.sourceIp, "127.0.0.1", at);
      assert.equal(ev.requestContext.identity.userAgent, USER_AGENT, at);
      assert.equal(ev.requestContext.elb, undefined, at);
      assert.equal(ev.body, BODY, at);
      assert.equal(ev.isBase64Encoded, false, at);
      return;
    case "apigateway-http":
    case "function-url": {
      // Payload format 2.0: version, route key, raw path and query, lower-case single-valued
      // headers, the HTTP details under requestContext.http; no format 1.0 fields.
      assert.equal(ev.version, "2.0", at);
      assert.equal(typeof ev.routeKey, "string", at);
      assert.equal(ev.requestContext.routeKey, ev.routeKey, at);
      // An HTTP API decodes rawPath; a function URL keeps it as sent. Both decode http.path.
      assert.equal(ev.rawPath, type === "apigateway-http" ? DECODED_PATH : PATH, at);
      assert.equal(ev.rawQueryString, QUERY, at);
      assertTimes(at, ev.requestContext.timeEpoch, ev.requestContext.time, window);
      assert.ok(lowerCaseKeys(ev.headers), `${at}: header names in lower case`);
      assert.equal(ev.headers["x-datadog-trace-id"], id, at);
      assert.deepEqual(ev.queryStringParameters, { color: "blue", size: "2" }, at);
      assert.equal(ev.requestContext.http.method, "POST", at);
      assert.equal(ev.requestContext.http.path, DECODED_PATH, at);
      assert.equal(ev.requestContext.http.sourceIp, "127.0.0.1", at);
      assert.equal(ev.requestContext.http.userAgent, USER_AGENT, at);
      assert.equal(ev.requestContext.stage, "$default", at);
      assert.equal(ev.requestContext.domainName, ev.headers.host.replace(/:\d+$/, ""), `${at}: the domain is the host addressed, without a port`);
      assert.doesNotMatch(ev.requestContext.domainName, /:/, `${at}: domainName without a port`);
      assert.equal(ev.requestContext.domainPrefix, ev.requestContext.domainName.split(".")[0], at);
      for (const key of ["httpMethod", "path", "multiValueHeaders", "multiValueQueryStringParameters"]) assert.equal(ev[key], undefined, `${at} has no ${key}`);
      assert.equal(ev.body, BODY, at);
      assert.equal(ev.isBase64Encoded, false, at);
      // A function URL is addressed by its own host name, and has only the default route.
      const lambdaUrl = /^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$/;
      if (type === "function-url") {
        assert.match(ev.requestContext.domainName, lambdaUrl, at);
        assert.equal(ev.routeKey, "$default", at);
      } else {
        assert.doesNotMatch(ev.requestContext.domainName, lambdaUrl, at);
      }
      return;
    }
    case "application-load-balancer":
    case "application-load-balancer-multi": {
      // ALB target event: requestContext names only the target group; lower-case header names;
      // single-valued headers and query, or (multi-value on) only their multi-valued forms.
      assert.deepEqual(Object.keys(ev.requestContext), ["elb"], at);
      assert.match(ev.requestContext.elb.targetGroupArn, /^arn:aws:elasticloadbalancing:[^:]*:\d{12}:targetgroup\//, at);
      assert.equal(ev.httpMethod, "POST", at);
      assert.equal(ev.path, PATH, `${at}: ALB keeps the path's encoding`);
      assert.equal(ev.body, BODY, at);
      assert.equal(ev.isBase64Encoded, false, at);
      for (const key of ["version", "rawPath", "resource"]) assert.equal(ev[key], undefined, `${at} has no ${key}`);
      if (type === "application-load-balancer") {
        assert.ok(lowerCaseKeys(ev.headers), `${at}: header names in lower case`);
        assert.equal(ev.headers["x-datadog-trace-id"], id, at);
        assert.deepEqual(ev.queryStringParameters, { color: "blue", size: "2" }, at);
        assert.equal(ev.multiValueHeaders, undefined, at);
        assert.equal(ev.multiValueQueryStringParameters, undefined, at);
      } else {
        assert.ok(lowerCaseKeys(ev.multiValueHeaders), `${at}: header names in lower case`);
        assert.deepEqual(ev.multiValueHeaders["x-datadog-trace-id"], [id], at);
        assert.deepEqual(ev.multiValueQueryStringParameters, { color: ["blue"], size: ["2"] }, at);
        assert.equal(ev.headers, undefined, at);
        assert.equal(ev.queryStringParameters, undefined, at);
      }
      return;
    }
  }
}

test("AWS Lambda scenario: each event type through lambda-proxy to a dd-trace@5 handler; the same trace in the library and agent dumps, the event shaped as configured", async () => {
  const ext = await startExtensionStandIn();
  const confdir = tempDir("st-proxy-lambda-confdir-");
  let serve: ServeProcess | undefined;
  let fn: Child | undefined;
  let lambdaProxy: Child | undefined;
  try {
    serve = await startServe(["--agent-target", `127.0.0.1:${ext.port}`, "--mocked-backend", "--confdir", confdir], {
      listeners: ["library", "agent"],
      env: cleanEnv({}),
    });
    // The extension's DD_PROXY_HTTPS is st-proxy's agent listener; it trusts the CA st-proxy made.
    ext.useProxy(`http://127.0.0.1:${serve.ports.agent}`, readFileSync(join(confdir, "mitmproxy-ca-cert.pem"), "utf8"));

    fn = await startChild(
      [FUNCTION],
      cleanEnv({
        DD_TRACE_AGENT_URL: `http://127.0.0.1:${serve.ports.library}`,
        DD_ENV: "system-tests",
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: "false",
        DD_REMOTE_CONFIGURATION_ENABLED: "false",
        DD_TRACE_STATS_COMPUTATION_ENABLED: "false",
      }),
      /rie stand-in listening on 127\.0\.0\.1:(\d+)/,
    );

    // The healthcheck the Lambda weblog container sends itself: a non-HTTP event, straight to the RIE.
    const health = await send(fn.port, {
      method: "POST",
      path: "/2015-03-31/functions/function/invocations",
      headers: [["content-type", "application/json"]],
      body: JSON.stringify({ healthcheck: true }),
    });
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body.toString()), { healthcheck: true });

    const windows = new Map<EventType, Window>();
    for (const [i, type] of EVENT_TYPES.entries()) {
      lambdaProxy = await startChild(
        [CLI, "lambda-proxy", "--event-type", type, "--host", "127.0.0.1", "--port", "0", "--rie-host", "127.0.0.1", "--rie-port", String(fn.port)],
        cleanEnv({}),
        /listening on http:\/\/127\.0\.0\.1:(\d+)/,
      );
      const sent = Date.now();
      const reply = await send(lambdaProxy.port, {
        method: "POST",
        path: `${PATH}?${QUERY}`,
        headers: [
          ["content-type", "application/json"],
          ["user-agent", USER_AGENT],
          ["x-datadog-trace-id", String(traceIdOf(i))],
          ["x-datadog-parent-id", String(parentIdOf(i))],
          ["x-datadog-sampling-priority", "2"],
        ],
        body: BODY,
      });
      windows.set(type, { sent, answered: Date.now() });
      assert.equal(reply.status, 200, `${type}: ${reply.body.toString()}\n${lambdaProxy.output()}`);
      assert.equal(await lambdaProxy.stop(), 0, `${type}: lambda-proxy exits 0 on SIGTERM`);
      lambdaProxy = undefined;
    }

    const ids = EVENT_TYPES.map((_, i) => traceIdOf(i));
    await waitForTraces(serve.logFolder, ids, ext);
    assert.equal(await fn.stop(), 0, "the function's process stops cleanly");
    fn = undefined;
    await ext.close(); // every AgentPayload sent and answered
    assert.equal(await serve.stop(), 0, "serve exits 0 on SIGTERM");

    // Everything below comes from the dumps, written and closed.
    const lib = librarySpans(serve.logFolder);
    const agt = agentSpans(serve.logFolder);
    for (const [i, type] of EVENT_TYPES.entries()) {
      const traceId = traceIdOf(i);
      const inLibrary = lib.filter(({ span }) => BigInt(span.trace_id) === traceId);
      assert.equal(inLibrary.length, 1, `${type}: the library dump has the trace ${traceId} once`);
      const libSpan = inLibrary[0].span;
      // Forwarded to the extension stand-in (the agent target), which answered.
      assert.deepEqual([inLibrary[0].dump.host, inLibrary[0].dump.port, inLibrary[0].dump.response.status_code], ["127.0.0.1", ext.port, 200], type);
      assert.equal(libSpan.name, "aws.lambda", type);
      assert.equal(BigInt(libSpan.parent_id), parentIdOf(i), `${type}: the handler continued the test's trace`);

      const found = agt.filter(({ span }) => span.traceID === String(traceId));
      assert.equal(found.length, 1, `${type}: the agent dump has the trace ${traceId} once`);
      const { dump, span } = found[0];
      assert.deepEqual([dump.host, dump.port, dump.method], ["trace.agent.datadoghq.com", 443, "POST"], type);
      assert.equal(dump.response.status_code, 202, type);
      // MessageToDict renders uint64 as decimal strings.
      assert.equal(span.spanID, String(libSpan.span_id), `${type}: same span in both dumps`);
      assert.equal(span.parentID, String(parentIdOf(i)), type);
      assert.equal(span.name, "aws.lambda", type);
      assert.equal(span.meta["lambda.event"], libSpan.meta["lambda.event"], `${type}: the agent payload carries the same event`);

      assertEventShape(type, JSON.parse(libSpan.meta["lambda.event"]), traceId, windows.get(type)!);
    }

    // The healthcheck was answered untraced: no dumped span carries it.
    assert.ok(!lib.some(({ span }) => (span.meta?.["lambda.event"] ?? "").includes("healthcheck")), "the healthcheck event opened no span");
    for (const f of ext.forwarded) assert.equal(f.error, undefined, `extension stand-in send failed: ${f.error}`);
  } finally {
    await lambdaProxy?.stop();
    await fn?.stop();
    await ext.close();
    await serve?.stop();
  }
});
