// Which decoder for which body: the dispatch table's behaviour through decodeMessage, on
// bodies written here, each expectation following from the reference's rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeMessage, type MessageToDecode } from "../../src/decode/index.js";
import { AGENT_ENDPOINTS, CONTENT_SCHEMAS, ROUTES, agentAnswerFor } from "../../src/decode/routes.js";
import { packValue } from "../helpers/msgpack-writer.js";

function decode(over: Partial<Omit<MessageToDecode, "body">> & { body: Buffer | string; type?: string }) {
  const { type, body, ...rest } = over;
  const msg: MessageToDecode = {
    side: "request",
    interface: "library",
    method: "POST",
    path: "/x",
    headers: type === undefined ? [] : [["Content-Type", type]],
    ...rest,
    body: Buffer.from(body),
  };
  return decodeMessage(msg, { filesDir: "/files" });
}

test("the table: unique names, and a last route that takes anything", () => {
  assert.equal(new Set(ROUTES.map((r) => r.name)).size, ROUTES.length);
  const last = ROUTES[ROUTES.length - 1];
  assert.deepEqual(Object.keys(last).sort(), ["decode", "name"]);
});

test("an empty body is null, whatever else", () => {
  assert.deepEqual(decode({ body: "", type: "application/json" }), { length: 0, content: null, files: [] });
  assert.deepEqual(decode({ body: "", path: "/v0.4/traces", type: "application/msgpack" }), { length: 0, content: null, files: [] });
});

test("JSON by content type (anywhere in it), on every interface", () => {
  assert.deepEqual(decode({ body: '{"a": 1}', type: "Application/JSON; charset=utf-8" }).content, { a: 1 });
  assert.deepEqual(decode({ body: "[1]", type: "text/json", interface: "agent" }).content, [1]);
  assert.match(decode({ body: "{bad", type: "application/json" }).traceback ?? "", /SyntaxError|JSON/);
});

test("/v0.7/config: JSON without a content type; its 404 answer is text", () => {
  assert.deepEqual(decode({ body: '{"roots": []}', path: "/v0.7/config" }).content, { roots: [] });
  assert.equal(decode({ body: "404 page not found\n", path: "/v0.7/config", side: "response", statusCode: 404, type: "text/plain; charset=utf-8" }).content, "404 page not found\n");
  assert.ok(decode({ body: "not json", path: "/v0.7/config", side: "response", statusCode: 200 }).traceback);
});

test("/info from a tracer: the answer is JSON, a request body is kept as bytes", () => {
  assert.deepEqual(decode({ body: '{"version": "7"}', path: "/info", side: "response", statusCode: 200 }).content, { version: "7" });
  assert.equal(decode({ body: "x", path: "/info", method: "GET" }).content, "b'x'");
  // not from a tracer: no special case
  assert.equal(decode({ body: '{"v": 1}', path: "/info", side: "response", statusCode: 200, interface: "agent" }).content, `b'{"v": 1}'`);
});

test("/dogstatsd/v2/proxy from a tracer is UTF-8 text; invalid UTF-8 fails", () => {
  assert.equal(decode({ body: "metric:1|c\n", path: "/dogstatsd/v2/proxy" }).content, "metric:1|c\n");
  assert.ok(decode({ body: Buffer.from([0x66, 0xff]), path: "/dogstatsd/v2/proxy" }).traceback);
  assert.equal(decode({ body: "m:1|c", path: "/dogstatsd/v2/proxy", interface: "agent" }).content, "b'm:1|c'");
});

test("text/plain exactly is ASCII text; with a charset it is bytes", () => {
  assert.equal(decode({ body: "plain\nascii", type: "text/plain" }).content, "plain\nascii");
  assert.ok(decode({ body: "caf\u00e9", type: "text/plain" }).traceback);
  assert.equal(decode({ body: "OK", type: "text/plain; charset=utf-8", side: "response", statusCode: 200 }).content, "b'OK'");
});

test("an empty v0.4 payload sent as form-urlencoded is []", () => {
  assert.deepEqual(decode({ body: "[]", path: "/v0.4/traces", type: "application/x-www-form-urlencoded" }).content, []);
  assert.equal(decode({ body: "a=1", path: "/v0.4/traces", type: "application/x-www-form-urlencoded" }).content, "b'a=1'");
  assert.equal(decode({ body: "[]", path: "/other", type: "application/x-www-form-urlencoded" }).content, "b'[]'");
});

test("unknown types are bytes, shown as Python's repr", () => {
  assert.equal(decode({ body: Buffer.from([0, 0xff, 0x6f, 0x6b]), type: "application/octet-stream" }).content, "b'\\x00\\xffok'");
  assert.equal(decode({ body: "no type at all" }).content, "b'no type at all'");
});

test("a msgpack body that is not msgpack fails, with the body's repr as raw_content", () => {
  const out = decode({ body: Buffer.from([0x92, 0x01]), path: "/v0.4/traces", type: "application/msgpack" });
  assert.equal(out.content, undefined);
  assert.equal(out.raw_content, "b'\\x92\\x01'");
  assert.match(out.traceback ?? "", /incomplete input/);
});

test("a 500, 408 or 403 answer that cannot be decoded is its repr, not a failure; other statuses fail", () => {
  for (const statusCode of [500, 408, 403]) {
    const out = decode({ body: "<html>oops</html>", side: "response", statusCode, type: "application/json" });
    assert.deepEqual(out, { length: 17, content: "b'<html>oops</html>'", files: [] }, `status ${statusCode}`);
  }
  const other = decode({ body: "<html>oops</html>", side: "response", statusCode: 502, type: "application/json" });
  assert.ok(other.traceback);
  // the rule is for answers only
  assert.ok(decode({ body: "<html>", side: "request", statusCode: 500, type: "application/json" }).traceback);
});

test("a msgpack map with a non-str key in span meta fails, as the reference calls str methods on keys", () => {
  const payload = packValue([[new Map<unknown, unknown>([["trace_id", 1], ["meta", new Map<unknown, unknown>([["ok", "v"], [7, "x"]])]])]]);
  assert.match(decode({ body: payload, path: "/v0.4/traces", type: "application/msgpack", method: "PUT" }).traceback ?? "", /not a str/);
});

test("v0.5: where two meta keys resolve to the same string, the later one on the wire wins", () => {
  // string table with "k" twice (indexes 1 and 2); meta {2: 3, 1: 4} in that wire order
  const strings = ["", "k", "k", "first", "second"];
  const span = [0, 0, 0, 1, 1, 0, 0, 0, 0, new Map([[2, 3], [1, 4]]), new Map(), 0];
  const out = decode({ body: packValue([strings, [[span]]]), path: "/v0.5/traces", type: "application/msgpack", method: "PUT" });
  assert.equal(out.traceback, undefined, out.traceback);
  assert.deepEqual((out.content as { meta: object }[][])[0][0].meta, { k: "second" });
});

test("the table also carries each endpoint's schema and stand-in answer", () => {
  // A schema or an answer is looked up by the row's paths: a row with one must name them.
  for (const r of ROUTES) if (r.schema) assert.ok(r.path, r.name);
  for (const r of ROUTES) if (r.agent) assert.ok(r.path || r.pathStartsWith, r.name);
  assert.deepEqual(
    CONTENT_SCHEMAS.filter((s) => s.path === "/v0.4/traces").map((s) => [s.side, s.status, s.schema]),
    [["request", undefined, "/content/traces-v04.request.schema.json"], ["response", 200, "/content/traces.response.schema.json"]],
  );
  assert.equal(agentAnswerFor("/evp_proxy/v2/api/v2/exposures")?.status, 202);
  assert.equal(agentAnswerFor("/v0.3/traces")?.status, 200);
  assert.equal(agentAnswerFor("/nothing"), undefined);
  assert.ok(AGENT_ENDPOINTS.includes("/v0.4/traces") && !AGENT_ENDPOINTS.includes("/v1.0/traces"));
});
