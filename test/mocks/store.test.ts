import { test } from "node:test";
import assert from "node:assert/strict";
import { MockStore } from "../../src/mocks/store.js";
import { parseBackendMocks, parseTracerMocks } from "../../src/mocks/definitions.js";
import type { Incoming } from "../../src/proxy/types.js";

const incoming = (target: string, body = ""): Incoming => ({ interface: "library", method: "POST", target, headers: [], body: Buffer.from(body), startMicros: 0 });
const backend = (path: string, text: string) => parseBackendMocks([{ type: "MockedBackendResponse", path, content: Buffer.from(text).toString("base64") }])[0];

test("backend mocks: runtime ones before internal ones, the first exact path wins; each answer is logged", () => {
  const lines: string[] = [];
  const store = new MockStore({ tracer: [], backend: [backend("/a", "internal a"), backend("/b", "internal b")] }, (line) => lines.push(line));
  store.replaceBackendMocks([backend("/a", "runtime a"), backend("/a", "runtime a again")]);
  assert.equal(store.backendAnswer(incoming("/a"))?.body.toString(), "runtime a");
  assert.equal(store.backendAnswer(incoming("/b"))?.body.toString(), "internal b");
  assert.equal(store.backendAnswer(incoming("/a?x=1")), undefined, "the query is part of the path compared");
  assert.deepEqual(lines, ["library: POST /a: answered by backend mock (200)", "library: POST /b: answered by backend mock (200)"]);
});

test("tracer mocks: each applied or skipped mock is logged with its reason; a skipped one leaves the answer to the next", () => {
  const lines: string[] = [];
  const store = new MockStore({ tracer: parseTracerMocks([{ type: "SequentialRemoteConfigJsonMockedTracerResponse", mocked_json_sequence: [{ a: 1 }] }]), backend: [] }, (line) =>
    lines.push(line),
  );
  store.replaceTracerMocks(parseTracerMocks([{ type: "MockedTracerResponse", path: "/v0.7/config", mocked_headers: { "X-M": "1" } }]));
  const out = store.editTracerAnswer(incoming("/v0.7/config", "not json"), { statusCode: 404, headers: [], body: Buffer.from("nope") });
  assert.deepEqual([out.statusCode, out.headers, out.body.toString()], [200, [["X-M", "1"]], "nope"]);
  assert.deepEqual(lines, [
    "library: POST /v0.7/config: tracer mock SequentialRemoteConfigJsonMockedTracerResponse not applied: the request has no client.client_tracer.runtime_id",
    "library: POST /v0.7/config: applied tracer mock MockedTracerResponse",
  ]);
});

test("an error other than 'not applicable' is not swallowed", () => {
  const store = new MockStore({ tracer: parseTracerMocks([{ type: "SetSpanEventFlags", span_events: true }]), backend: [] });
  // A logger that throws stands in for a bug inside the mock's try block.
  const throwing = new MockStore({ tracer: parseTracerMocks([{ type: "SetSpanEventFlags", span_events: true }]), backend: [] }, () => {
    throw new RangeError("logger broke");
  });
  const info = { statusCode: 200, headers: [] as [string, string][], body: Buffer.from("{}") };
  assert.equal(store.editTracerAnswer(incoming("/info"), info).body.toString(), '{"span_events": true}');
  assert.throws(() => throwing.editTracerAnswer(incoming("/info"), info), RangeError);
});
