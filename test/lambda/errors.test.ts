// Errors: RIE unreachable or failing, the function's error object, malformed results: each a 502
// whose body gives the reason, as the gateways answer 502 when no usable response comes back.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { eventTypeNamed } from "../../src/lambda/event-types.js";
import { startLambdaProxy } from "../../src/lambda/server.js";
import { send, type Reply, type Send } from "./client.js";
import { startRig } from "./proxy.js";
import type { Answer } from "./rie-stand-in.js";

function reason(reply: Reply): string {
  assert.equal(reply.status, 502);
  const body = JSON.parse(reply.body.toString());
  assert.equal(body.message, "Internal server error");
  return body.reason;
}

/** The reply when the stand-in answers `answer`, for one event type. */
async function replyTo(type: string, answer: Answer, request: Send = {}): Promise<Reply> {
  const rig = await startRig(type, () => answer);
  try {
    return await send(rig.proxy.port, request);
  } finally {
    await rig.close();
  }
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("RIE unreachable: 502 saying so, with the connection error", async () => {
  const port = await closedPort();
  const proxy = await startLambdaProxy({
    host: "127.0.0.1",
    port: 0,
    eventType: eventTypeNamed("apigateway-rest"),
    rie: { host: "127.0.0.1", port, functionName: "function", timeoutMs: 5000 },
  });
  try {
    const text = reason(await send(proxy.port));
    assert.match(text, /unreachable/);
    assert.match(text, /ECONNREFUSED/);
    assert.ok(text.includes(`127.0.0.1:${port}`), text);
  } finally {
    await proxy.close();
  }
});

test("RIE silent past the invoke timeout: 502 saying no answer came in time", async () => {
  const rig = await startRig("apigateway-rest", () => new Promise<Answer>((resolve) => setTimeout(() => resolve({ result: {} }), 2000)), 100);
  try {
    assert.match(reason(await send(rig.proxy.port)), /no answer within 100 ms/);
  } finally {
    await rig.close();
  }
});

test("RIE refusing the invocation (an HTTP error): 502 with its status", async () => {
  assert.match(reason(await replyTo("apigateway-http", { raw: "busy", status: 400 })), /answered 400: "busy"/);
});

for (const type of ["apigateway-rest", "apigateway-http", "function-url", "application-load-balancer", "application-load-balancer-multi"]) {
  test(`${type}: the function's error object gives 502 naming the error`, async () => {
    const text = reason(
      await replyTo(type, { result: { errorMessage: "boom went the handler", errorType: "TypeError", stackTrace: ["at x"] } }),
    );
    assert.match(text, /the function failed: TypeError: boom went the handler/);
  });

  test(`${type}: a result that is not JSON (RIE's timeout message) gives 502 quoting it`, async () => {
    const text = reason(await replyTo(type, { raw: "Task timed out after 3.00 seconds" }));
    assert.match(text, /malformed result: not JSON: "Task timed out after 3.00 seconds"/);
  });

  test(`${type}: an invalid statusCode gives 502 with the reason`, async () => {
    assert.match(reason(await replyTo(type, { result: { statusCode: "teapot", body: "" } })), /statusCode must be an HTTP status/);
    assert.match(reason(await replyTo(type, { result: { statusCode: 42, body: "" } })), /statusCode must be an HTTP status/);
  });

  test(`${type}: a body said to be base64 that is not gives 502`, async () => {
    const result = { statusCode: 200, headers: { "Content-Type": "application/octet-stream" }, body: "not base64!", isBase64Encoded: true };
    // A REST API decodes only for a client that asks for the binary type.
    const request: Send = { headers: [["Accept", "application/octet-stream"]] };
    assert.match(reason(await replyTo(type, { result }, request)), /body is not valid base64/);
  });

  test(`${type}: a header value that cannot be sent gives 502`, async () => {
    const text = reason(await replyTo(type, { result: { statusCode: 200, headers: { "X-Bad": "a\r\nInjected: 1" }, body: "" } }));
    assert.match(text, /malformed result: header "X-Bad"/);
  });
}

test("RIE answering 502 with the runtime's error (the function process failed): 502 naming it", async () => {
  const answer = { raw: JSON.stringify({ errorMessage: "RequestId: x Error: Runtime exited", errorType: "Runtime.ExitError" }), status: 502 };
  assert.match(reason(await replyTo("apigateway-rest", answer)), /the function failed: Runtime.ExitError: RequestId: x Error: Runtime exited/);
});

test("apigateway-rest: keys a REST API does not allow give 502 naming them", async () => {
  assert.match(reason(await replyTo("apigateway-rest", { result: { statusCode: 200, body: "", extra: 1 } })), /does not allow: extra/);
});

test("apigateway-rest and ALB: a result that is not an object gives 502", async () => {
  for (const type of ["apigateway-rest", "application-load-balancer"]) {
    assert.match(reason(await replyTo(type, { result: "just text" })), /expects an object with statusCode/);
  }
});

test("ALB: statusCode is required", async () => {
  assert.match(reason(await replyTo("application-load-balancer-multi", { result: { body: "x" } })), /statusCode is missing/);
});

test("format 2.0: cookies must be a list of strings", async () => {
  assert.match(reason(await replyTo("apigateway-http", { result: { statusCode: 200, cookies: "a=1" } })), /cookies must be a list of strings/);
});

test("an unknown or missing event type is refused, naming the allowed values", () => {
  for (const name of ["apigateway", undefined, ""]) {
    assert.throws(
      () => eventTypeNamed(name),
      (error: Error) => {
        for (const allowed of ["apigateway-rest", "apigateway-http", "function-url", "application-load-balancer", "application-load-balancer-multi"]) {
          assert.ok(error.message.includes(allowed), error.message);
        }
        return true;
      },
    );
  }
});
