import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJson } from "../../src/json/parse.js";
import { MockDefinitionError, parseBackendMocks, parseTracerMocks, tracerMockPath } from "../../src/mocks/definitions.js";

// Each text below is what the Python runner's `requests.put(..., json=[mock.to_json()])` sends
// (json.dumps with its default separators), written out by hand from mocked_response.py.
const SENT = {
  MockedTracerResponse: '[{"type": "MockedTracerResponse", "path": "/v0.4/traces", "mocked_headers": {"X-Mocked": "yes"}}]',
  MockedTracerResponseNoHeaders: '[{"type": "MockedTracerResponse", "path": "/v0.4/traces", "mocked_headers": null}]',
  StaticJson: '[{"type": "StaticJsonMockedTracerResponse", "path": "/v0.7/config", "mocked_json": {"targets": ""}, "status_code": 200}]',
  SequentialRc: '[{"type": "SequentialRemoteConfigJsonMockedTracerResponse", "mocked_json_sequence": [{}, {"a": 1}]}]',
  SequentialJson:
    '[{"type": "SequentialJsonMockedTracerResponse", "path": "/v0.4/traces", "mocked_json_sequence": [{"rate_by_service": {"service:,env:": 0.1}}]}, ' +
    '{"type": "SequentialJsonMockedTracerResponse", "path": "/v0.5/traces", "mocked_json_sequence": [{"rate_by_service": {"service:,env:": 0.1}}]}]',
  InfoEditors:
    '[{"type": "SetSpanEventFlags", "span_events": true}, {"type": "RemoveMetaStructsSupport"}, {"type": "SetClientDropP0s", "client_drop_p0s": false}, ' +
    '{"type": "SetObfuscationVersion", "obfuscation_version": "MISSING"}, {"type": "SetObfuscationVersion", "obfuscation_version": 3}, {"type": "AddRemoteConfigEndpoint"}]',
  Backend: '[{"type": "MockedBackendResponse", "path": "/api/v0.2/echo-test", "content": "b2s=", "content_type": "text/plain", "status_code": 200}]',
};

test("every tracer mock type, as the runner sends it, parses to its fields", () => {
  assert.deepEqual(parseTracerMocks(parseJson(SENT.MockedTracerResponse)), [{ type: "MockedTracerResponse", path: "/v0.4/traces", mocked_headers: { "X-Mocked": "yes" } }]);
  assert.deepEqual(parseTracerMocks(parseJson(SENT.MockedTracerResponseNoHeaders)), [{ type: "MockedTracerResponse", path: "/v0.4/traces", mocked_headers: null }]);
  assert.deepEqual(parseTracerMocks(parseJson(SENT.StaticJson)), [{ type: "StaticJsonMockedTracerResponse", path: "/v0.7/config", mocked_json: { targets: "" }, status_code: 200 }]);
  assert.deepEqual(parseTracerMocks(parseJson(SENT.SequentialRc)), [{ type: "SequentialRemoteConfigJsonMockedTracerResponse", mocked_json_sequence: [{}, { a: 1 }] }]);
  const sequential = parseTracerMocks(parseJson(SENT.SequentialJson));
  assert.deepEqual(sequential.map(tracerMockPath), ["/v0.4/traces", "/v0.5/traces"]);
  const editors = parseTracerMocks(parseJson(SENT.InfoEditors));
  assert.deepEqual(
    editors.map((d) => d.type),
    ["SetSpanEventFlags", "RemoveMetaStructsSupport", "SetClientDropP0s", "SetObfuscationVersion", "SetObfuscationVersion", "AddRemoteConfigEndpoint"],
  );
  assert.deepEqual(editors.map(tracerMockPath), Array(6).fill("/info"));
  assert.equal(tracerMockPath(parseTracerMocks(parseJson(SENT.SequentialRc))[0]), "/v0.7/config");
});

test("optional fields take the Python constructors' defaults", () => {
  assert.deepEqual(parseTracerMocks([{ type: "MockedTracerResponse", path: "/info" }]), [{ type: "MockedTracerResponse", path: "/info", mocked_headers: null }]);
  assert.deepEqual(parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: [] }])[0], {
    type: "StaticJsonMockedTracerResponse",
    path: "/x",
    mocked_json: [],
    status_code: 200,
  });
  const [backend] = parseBackendMocks([{ type: "MockedBackendResponse", path: "/api/v0.1/org", content: "" }]);
  assert.equal(backend.content_type, "application/x-protobuf");
  assert.equal(backend.status_code, 200);
});

test("backend content arrives base64 and is kept as bytes", () => {
  const [def] = parseBackendMocks(parseJson(SENT.Backend));
  assert.equal(def.path, "/api/v0.2/echo-test");
  assert.deepEqual(def.content, Buffer.from("ok"));
  assert.equal(def.content_type, "text/plain");
});

test("big integers in mocked JSON survive exactly", () => {
  const [def] = parseTracerMocks(parseJson('[{"type": "StaticJsonMockedTracerResponse", "path": "/p", "mocked_json": {"id": 18446744073709551615}}]'));
  assert.deepEqual(def.type === "StaticJsonMockedTracerResponse" && def.mocked_json, { id: 18446744073709551615n });
});

function rejects(parse: () => unknown, pattern: RegExp): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof MockDefinitionError, String(error));
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("the edges of what is accepted: statuses 200 and 599, every token character in a name, tab and Latin-1 in a value", () => {
  const status = (code: number) => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: code }])[0];
  assert.deepEqual([status(200), status(599)].map((d) => d.type === "StaticJsonMockedTracerResponse" && d.status_code), [200, 599]);
  const tokenChars = "!#$%&'*+.^_`|~09AZaz-";
  const [def] = parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: { [tokenChars]: "a\tb \u00ff~" } }]);
  assert.deepEqual(def.type === "MockedTracerResponse" && def.mocked_headers, { [tokenChars]: "a\tb \u00ff~" });
});

test("base64 content: groups of four, padding only at the end, whitespace ignored", () => {
  const content = (text: string) => parseBackendMocks([{ type: "MockedBackendResponse", path: "/x", content: text }])[0].content.toString("latin1");
  assert.deepEqual(["YQ==", "YWI=", "YWJj", "YWJjZA==", "+/8=", "YW Jj\n", ""].map(content), ["a", "ab", "abc", "abcd", "\xfb\xff", "abc", ""]);
  for (const text of ["YWJ", "YQ=", "Y===", "YQ==YQ==", "YWJj_A==", "a"])
    rejects(() => parseBackendMocks([{ type: "MockedBackendResponse", path: "/x", content: text }]), /"content" must be a base64 string/);
});

test("what was sent instead of a list or an object is named in the reason", () => {
  rejects(() => parseTracerMocks(null), /^expected a JSON list of mock definitions, got null$/);
  rejects(() => parseTracerMocks(5n), /^expected a JSON list of mock definitions, got a number$/);
  rejects(() => parseTracerMocks("[]"), /^expected a JSON list of mock definitions, got a string$/);
  rejects(() => parseBackendMocks({}), /^expected a JSON list of mock definitions, got an object$/);
  rejects(() => parseTracerMocks([[]]), /^item 0: expected an object with a "type", got a list$/);
  rejects(() => parseTracerMocks([{ type: "AddRemoteConfigEndpoint" }, true]), /^item 1: expected an object with a "type", got a boolean$/);
  rejects(() => parseTracerMocks([null]), /^item 0: expected an object with a "type", got null$/);
  rejects(() => parseTracerMocks([7]), /^item 0: expected an object with a "type", got a number$/);
  rejects(() => parseBackendMocks([{ type: 3 }]), /^item 0: missing "type" \(one of MockedBackendResponse\)$/);
  rejects(() => parseTracerMocks([{}]), /^item 0: missing "type" \(one of MockedTracerResponse, StaticJsonMockedTracerResponse, SequentialRemoteConfigJsonMockedTracerResponse, /);
  rejects(() => parseTracerMocks([{ type: "toString" }]), /^item 0: unknown tracer mock type "toString" \(known: MockedTracerResponse, StaticJsonMockedTracerResponse, /);
});

test("field types: a path must be a string, an obfuscation version an integer (any size), headers an object", () => {
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: 5 }]), /field "path" must be a string$/);
  rejects(() => parseTracerMocks([{ type: "SetObfuscationVersion", obfuscation_version: 1.5 }]), /integer or "MISSING"/);
  rejects(() => parseTracerMocks([{ type: "SetObfuscationVersion", obfuscation_version: null }]), /integer or "MISSING"/);
  const [big] = parseTracerMocks(parseJson('[{"type": "SetObfuscationVersion", "obfuscation_version": 18446744073709551616}]'));
  assert.deepEqual(big, { type: "SetObfuscationVersion", obfuscation_version: 18446744073709551616n });
  rejects(() => parseTracerMocks(parseJson('[{"type": "MockedTracerResponse", "path": "/x", "mocked_headers": 18446744073709551616}]')), /object of header names/);
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: 1 }]), /object of header names/);
});

test("bad definitions are refused with a reason that names the problem", () => {
  rejects(() => parseTracerMocks({ type: "MockedTracerResponse" }), /expected a JSON list/);
  rejects(() => parseTracerMocks([{ type: "NoSuchMock", path: "/x" }]), /unknown tracer mock type "NoSuchMock"/);
  rejects(() => parseTracerMocks([{ path: "/x" }]), /item 0: missing "type"/);
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x" }]), /item 0 \(StaticJsonMockedTracerResponse\): missing field "mocked_json"/);
  rejects(() => parseTracerMocks([{ type: "AddRemoteConfigEndpoint" }, { type: "SetSpanEventFlags" }]), /item 1 \(SetSpanEventFlags\): missing field "span_events"/);
  rejects(() => parseTracerMocks([{ type: "SetSpanEventFlags", span_events: "yes" }]), /"span_events" must be true or false/);
  rejects(() => parseTracerMocks([{ type: "AddRemoteConfigEndpoint", path: "/info" }]), /unexpected field "path"/);
  rejects(() => parseTracerMocks([{ type: "SequentialJsonMockedTracerResponse", path: "/x", mocked_json_sequence: [] }]), /non-empty list/);
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: 42 }]), /HTTP status code/);
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: { "X-A": 1 } }]), /header "X-A" must have a string value/);
  // A 1xx is no final answer; a control character is a header Node refuses to send.
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: 103 }]), /final HTTP status code/);
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: { "X-A": "a\u0001b" } }]), /header "X-A" has a control character/);
  rejects(() => parseTracerMocks([{ type: "SetObfuscationVersion", obfuscation_version: "latest" }]), /integer or "MISSING"/);
  // Both ends of the status range, just past them: 599 is the last status there is.
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: 600 }]), /final HTTP status code/);
  rejects(() => parseBackendMocks([{ type: "MockedBackendResponse", path: "/x", content: "", status_code: 600 }]), /"status_code" must be a final HTTP status code/);
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: 199 }]), /final HTTP status code/);
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: 200.5 }]), /final HTTP status code/);
  rejects(() => parseTracerMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {}, status_code: "200" }]), /final HTTP status code/);
  // Names Node's setHeader refuses (RFC 9110 tokens only): a space, a colon, a non-ASCII letter, nothing at all.
  for (const name of ["X Mocked", "X-Mocked:", "X-Mocké", "", "X-(A)"])
    rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: { [name]: "v" } }]), new RegExp(`${escape(JSON.stringify(name))} is not a valid header name`));
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: ["X-A", "v"] }]), /object of header names to string values, or null/);
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: "X-A: v" }]), /object of header names to string values, or null/);
  rejects(() => parseTracerMocks([{ type: "MockedTracerResponse", path: "/x", mocked_headers: { "X-A": "\u0100" } }]), /beyond U\+00FF/);
  // A backend type is not a tracer type, and the other way round.
  rejects(() => parseTracerMocks([{ type: "MockedBackendResponse", path: "/x", content: "" }]), /unknown tracer mock type "MockedBackendResponse"/);
  rejects(() => parseBackendMocks([{ type: "StaticJsonMockedTracerResponse", path: "/x", mocked_json: {} }]), /unknown backend mock type/);
  rejects(() => parseBackendMocks([{ type: "MockedBackendResponse", path: "/x" }]), /missing field "content"/);
  rejects(() => parseBackendMocks([{ type: "MockedBackendResponse", path: "/x", content: "not base64!" }]), /"content" must be a base64 string/);
});
