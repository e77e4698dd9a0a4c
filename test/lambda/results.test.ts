// Results back to HTTP: each format's fields (statusCode, headers, multiValueHeaders, cookies,
// body, isBase64Encoded) as the front ends document them, through the real proxy and stand-in.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { send, values, type Reply, type Send } from "./client.js";
import { startRig, type Rig } from "./proxy.js";

const BYTES = Buffer.from([0, 1, 2, 255, 254]); // base64 "AAEC//4="

const rigs = new Map<string, Rig>();
before(async () => {
  for (const type of ["apigateway-rest", "apigateway-http", "function-url", "application-load-balancer", "application-load-balancer-multi"]) {
    rigs.set(type, await startRig(type));
  }
});
after(async () => {
  for (const rig of rigs.values()) await rig.close();
});

/** The reply to one request when the function returns `result`. */
async function through(type: string, result: unknown, request: Send = {}): Promise<Reply> {
  const rig = rigs.get(type)!;
  rig.rie.handler = () => ({ result });
  return send(rig.proxy.port, request);
}

/** Response header lines other than the ones Node adds itself. */
function functionHeaders(reply: Reply): [string, string][] {
  return reply.headers.filter(([n]) => !["date", "connection", "keep-alive", "content-length"].includes(n.toLowerCase()));
}

describe("apigateway-rest results (format 1.0)", () => {
  test("headers and multiValueHeaders merge into one list, a pair given in both appearing once", async () => {
    const reply = await through("apigateway-rest", {
      statusCode: 201,
      headers: { "X-One": "1", "Set-Cookie": "a=1", "X-Num": 5, "X-Bool": true },
      multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"], "X-Many": ["p", "q"] },
      body: "hi",
    });
    assert.equal(reply.status, 201);
    assert.deepEqual(values(reply, "set-cookie"), ["a=1", "b=2"]);
    assert.deepEqual(values(reply, "x-many"), ["p", "q"]);
    assert.deepEqual(values(reply, "x-one"), ["1"]);
    assert.deepEqual(values(reply, "x-num"), ["5"]);
    assert.deepEqual(values(reply, "x-bool"), ["true"]);
    assert.deepEqual(values(reply, "content-type"), ["application/json"], "API Gateway's default Content-Type");
    assert.equal(reply.body.toString(), "hi");
  });

  test("a Content-Type of any case is kept; the function's framing headers are replaced", async () => {
    const reply = await through("apigateway-rest", {
      statusCode: 200,
      headers: { "content-type": "text/plain", "Content-Length": "999", "Transfer-Encoding": "chunked" },
      body: "abc",
    });
    assert.deepEqual(values(reply, "content-type"), ["text/plain"]);
    assert.deepEqual(values(reply, "content-length"), ["3"]);
    assert.deepEqual(values(reply, "transfer-encoding"), []);
    assert.equal(reply.body.toString(), "abc");
  });

  test("a 204 or 304 goes out without a body or a made-up Content-Length, whatever body the function gave", async () => {
    for (const statusCode of [204, 304]) {
      const reply = await through("apigateway-rest", { statusCode, body: "ignored" });
      assert.equal(reply.status, statusCode);
      assert.deepEqual(values(reply, "content-length"), []);
      assert.equal(reply.body.length, 0);
    }
  });

  test("HEAD: the Content-Length the GET would have had, and no body", async () => {
    // "The server SHOULD send the same header fields in response to a HEAD request as it would
    // have sent if the request method had been GET" (RFC 9110 §9.3.2), Content-Length included
    // (§8.6); the reference proxy (Flask) does so.
    for (const type of rigs.keys()) {
      const reply = await through(type, { statusCode: 200, headers: { "Content-Type": "text/plain" }, body: "twelve bytes" }, { method: "HEAD" });
      assert.equal(reply.status, 200, type);
      assert.deepEqual(values(reply, "content-length"), ["12"], type);
      assert.equal(reply.body.length, 0, type);
      assert.equal(rigs.get(type)!.rie.events.at(-1).httpMethod ?? rigs.get(type)!.rie.events.at(-1).requestContext.http.method, "HEAD", type);
    }
    const noContent = await through("apigateway-rest", { statusCode: 204, body: "" }, { method: "HEAD" });
    assert.deepEqual(values(noContent, "content-length"), [], "a 204 never has a Content-Length");
  });

  test("statusCode may be absent (200) or a numeric string", async () => {
    assert.equal((await through("apigateway-rest", { body: "x" })).status, 200);
    assert.equal((await through("apigateway-rest", { statusCode: "404", body: "x" })).status, 404);
  });

  test("a base64 binary body comes back as bytes only when the first Accept media range names its binary type", async () => {
    // "API Gateway uses the first Accept header from clients to determine if a response should
    // return binary media" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html);
    // otherwise the client gets the base64 text. No Accept names nothing (SAM CLI's best match of
    // an empty Accept is none, so the reference proxy sends the text too).
    const result = { statusCode: 200, headers: { "Content-Type": "application/octet-stream" }, body: "AAEC//4=", isBase64Encoded: true };
    for (const accept of ["application/octet-stream", "application/*", "*/*", "*/*;q=0.8, text/html", "application/octet-stream; q=1"]) {
      const reply = await through("apigateway-rest", result, { headers: [["Accept", accept]] });
      assert.deepEqual(reply.body, BYTES, `Accept: ${accept}`);
    }
    const asText: [string, string][][] = [[], [["Accept", "text/html"]], [["Accept", "text/html, */*;q=0.8"]], [["Accept", ""]], [["Accept", "application/octet-stream;q=0"]]];
    for (const headers of asText) {
      const reply = await through("apigateway-rest", result, { headers });
      assert.equal(reply.body.toString(), "AAEC//4=", JSON.stringify(headers));
    }
    // Not a binary media type of the API: the text, whatever the client accepts.
    const textual = await through("apigateway-rest", { ...result, headers: { "Content-Type": "text/plain" } }, { headers: [["Accept", "*/*"]] });
    assert.equal(textual.body.toString(), "AAEC//4=");
  });

  test("base64Encoded, when present, wins over isBase64Encoded", async () => {
    const result = { statusCode: 200, headers: { "Content-Type": "application/octet-stream" }, body: "AAEC//4=", base64Encoded: true, isBase64Encoded: false };
    const reply = await through("apigateway-rest", result, { headers: [["Accept", "application/octet-stream"]] });
    assert.deepEqual(reply.body, BYTES);
  });

  test("a binary request body goes base64 in, and the function's base64 answer comes back as the same bytes", async () => {
    const rig = rigs.get("apigateway-rest")!;
    rig.rie.handler = (event) => ({
      result: { statusCode: 200, headers: { "Content-Type": "application/octet-stream" }, body: event.body, isBase64Encoded: event.isBase64Encoded },
    });
    const upload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const headers: [string, string][] = [["Content-Type", "application/octet-stream"], ["Accept", "application/octet-stream"]];
    const reply = await send(rig.proxy.port, { method: "POST", headers, body: upload });
    assert.equal(rig.rie.events.at(-1).body, upload.toString("base64"));
    assert.deepEqual(reply.body, upload);
  });
});

for (const type of ["apigateway-http", "function-url"]) {
  describe(`${type} results (format 2.0)`, () => {
    test("headers, and each cookie as its own Set-Cookie line", async () => {
      const reply = await through(type, { statusCode: 202, headers: { "x-a": "1" }, cookies: ["a=1; Path=/", "b=2"], body: "x" });
      assert.equal(reply.status, 202);
      assert.deepEqual(functionHeaders(reply), [
        ["x-a", "1"],
        ["Set-Cookie", "a=1; Path=/"],
        ["Set-Cookie", "b=2"],
        ["Content-Type", "application/json"],
      ]);
      assert.equal(reply.body.toString(), "x");
    });

    test("multiValueHeaders is not part of format 2.0 and is ignored", async () => {
      const reply = await through(type, { statusCode: 200, headers: { "content-type": "text/plain" }, multiValueHeaders: { "x-m": ["1", "2"] } });
      assert.deepEqual(functionHeaders(reply), [["content-type", "text/plain"]]);
    });

    test("isBase64Encoded bodies come back as bytes, whatever the type", async () => {
      const reply = await through(type, { statusCode: 200, headers: { "content-type": "image/png" }, body: "AAEC//4=", isBase64Encoded: true });
      assert.deepEqual(reply.body, BYTES);
    });

    test("a result without statusCode is the body of a 200 application/json response, as the function wrote it", async () => {
      for (const [result, body] of [
        ["hello", '"hello"'],
        [{ message: "hi", n: 1 }, '{"message":"hi","n":1}'],
        [42, "42"],
        [[1, 2], "[1,2]"],
      ] as const) {
        const reply = await through(type, result);
        assert.equal(reply.status, 200);
        assert.deepEqual(values(reply, "content-type"), ["application/json"]);
        assert.equal(reply.body.toString(), body);
      }
    });
  });
}

for (const type of ["application-load-balancer", "application-load-balancer-multi"]) {
  describe(`${type} results`, () => {
    test("statusDescription gives the reason phrase; no Content-Type is invented", async () => {
      const reply = await through(type, { statusCode: 404, statusDescription: "404 Gone Fishing", headers: { "X-A": "1" }, body: "nope" });
      assert.equal(reply.status, 404);
      assert.equal(reply.statusMessage, "Gone Fishing");
      assert.deepEqual(functionHeaders(reply), [["X-A", "1"]]);
      assert.equal(reply.body.toString(), "nope");
    });

    test("a statusDescription that cannot be a reason phrase leaves the standard one", async () => {
      for (const statusDescription of ["404 bad\u0000phrase", "404 two\r\nlines", "500 Wrong Code", 404]) {
        const reply = await through(type, { statusCode: 404, statusDescription, body: "" });
        assert.equal(reply.status, 404);
        assert.equal(reply.statusMessage, "Not Found", JSON.stringify(statusDescription));
      }
    });

    test("multiValueHeaders give repeated header lines", async () => {
      const reply = await through(type, { statusCode: 200, multiValueHeaders: { "Set-Cookie": ["a=1", "b=2"], "Content-Type": ["text/plain"] }, body: "" });
      assert.deepEqual(functionHeaders(reply), [
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["Content-Type", "text/plain"],
      ]);
    });

    test("a base64 body comes back as bytes", async () => {
      const reply = await through(type, { statusCode: 200, headers: { "Content-Type": "application/octet-stream" }, body: "AAEC//4=", isBase64Encoded: true });
      assert.deepEqual(reply.body, BYTES);
    });
  });
}
