import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync, gunzipSync } from "node:zlib";
import { parseTracerMocks } from "../../src/mocks/definitions.js";
import { MockStore } from "../../src/mocks/store.js";
import type { Answer, Incoming } from "../../src/proxy/types.js";

function request(target: string, body: unknown = ""): Incoming {
  return {
    interface: "library",
    method: "POST",
    target,
    headers: [["Content-Type", "application/json"]],
    body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
    startMicros: 0,
  };
}

function agentAnswer(statusCode: number, body: string, headers: [string, string][] = [["Content-Type", "application/json"], ["Content-Length", String(Buffer.byteLength(body))]]): Answer {
  return { statusCode, headers, body: Buffer.from(body) };
}

function storeWith(runtime: unknown[], internal: unknown[] = []): MockStore {
  const store = new MockStore({ tracer: parseTracerMocks(internal as never), backend: [] });
  store.replaceTracerMocks(parseTracerMocks(runtime as never));
  return store;
}

const header = (a: Answer, name: string) => a.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

test("MockedTracerResponse forces 200 and sets its headers, replacing same-named ones in place", () => {
  const store = storeWith([{ type: "MockedTracerResponse", path: "/v0.4/traces", mocked_headers: { "content-type": "text/plain", "X-New": "1" } }]);
  const out = store.editTracerAnswer(request("/v0.4/traces"), agentAnswer(500, "boom"));
  assert.equal(out.statusCode, 200);
  assert.deepEqual(out.headers, [["Content-Type", "text/plain"], ["Content-Length", "4"], ["X-New", "1"]]);
  assert.equal(out.body.toString(), "boom");
});

test("a mock for another path, or for the path with a query, leaves the answer alone", () => {
  const store = storeWith([{ type: "MockedTracerResponse", path: "/v0.4/traces", mocked_headers: null }]);
  const original = agentAnswer(500, "boom");
  assert.equal(store.editTracerAnswer(request("/v0.5/traces"), original), original);
  assert.equal(store.editTracerAnswer(request("/v0.4/traces?x=1"), original), original);
});

test("StaticJson answers its JSON (as Python's json.dumps writes it) with its status", () => {
  const store = storeWith([{ type: "StaticJsonMockedTracerResponse", path: "/v0.4/traces", mocked_json: { rate_by_service: { "service:,env:": 0.5 }, "é": [1, 2] }, status_code: 201 }]);
  const out = store.editTracerAnswer(request("/v0.4/traces"), agentAnswer(200, '{"rate_by_service":{}}'));
  assert.equal(out.statusCode, 201);
  const expected = '{"rate_by_service": {"service:,env:": 0.5}, "\\u00e9": [1, 2]}';
  assert.equal(out.body.toString(), expected);
  assert.deepEqual(header(out, "content-length"), [String(expected.length)]);
  assert.deepEqual(header(out, "content-type"), ["application/json"]);
});

const RC_ANSWER = {
  targets: "dGFyZ2V0cw==",
  client_configs: ["datadog/2/APM_TRACING/a/config", "datadog/2/ASM_DD/b/config", "employee/ASM_FEATURES/c/config"],
  target_files: [
    { path: "datadog/2/APM_TRACING/a/config", raw: "e30=" },
    { path: "datadog/2/ASM_DD/b/config", raw: "e30=" },
    { path: "employee/ASM_FEATURES/c/config", raw: "e30=" },
  ],
};

test("on /v0.7/config, only the configs of the products the client listed are kept", () => {
  const store = storeWith([{ type: "StaticJsonMockedTracerResponse", path: "/v0.7/config", mocked_json: RC_ANSWER }]);
  const poll = { client: { products: ["APM_TRACING", "ASM_FEATURES"], client_tracer: { runtime_id: "r1" } } };
  const out = store.editTracerAnswer(request("/v0.7/config", poll), agentAnswer(200, "{}"));
  assert.deepEqual(JSON.parse(out.body.toString()), {
    targets: "dGFyZ2V0cw==",
    client_configs: ["datadog/2/APM_TRACING/a/config", "employee/ASM_FEATURES/c/config"],
    target_files: [
      { path: "datadog/2/APM_TRACING/a/config", raw: "e30=" },
      { path: "employee/ASM_FEATURES/c/config", raw: "e30=" },
    ],
  });
  // A request that is not a remote-config poll leaves the answer whole.
  const whole = store.editTracerAnswer(request("/v0.7/config", "not json"), agentAnswer(200, "{}"));
  assert.deepEqual(JSON.parse(whole.body.toString()), RC_ANSWER);
});

test("SequentialRemoteConfig walks its sequence per runtime id, stays on the last, says the index", () => {
  const sequence = [{ step: 0 }, { step: 1 }, { step: 2 }];
  const store = storeWith([{ type: "SequentialRemoteConfigJsonMockedTracerResponse", mocked_json_sequence: sequence }]);
  const poll = (runtimeId: string) => request("/v0.7/config", { client: { products: [], client_tracer: { runtime_id: runtimeId } } });
  const seen = ["a", "a", "b", "a", "a", "b"].map((id) => {
    const out = store.editTracerAnswer(poll(id), agentAnswer(404, "404 page not found\n", [["Content-Type", "text/plain"]]));
    assert.equal(out.statusCode, 200);
    return [JSON.parse(out.body.toString()).step, header(out, "st-proxy-overwrite-rc-response")[0]];
  });
  assert.deepEqual(seen, [
    [0, "0"],
    [1, "1"],
    [0, "0"],
    [2, "2"],
    [2, "2"],
    [1, "1"],
  ]);
});

test("SequentialJson uses one counter for everyone and says the index", () => {
  const store = storeWith([{ type: "SequentialJsonMockedTracerResponse", path: "/v0.4/traces", mocked_json_sequence: [{ n: 0 }, { n: 1 }] }]);
  const indexes = [1, 2, 3].map(() => {
    const out = store.editTracerAnswer(request("/v0.4/traces"), agentAnswer(200, "{}"));
    return [JSON.parse(out.body.toString()).n, header(out, "st-proxy-sequential-response-idx")[0]];
  });
  assert.deepEqual(indexes, [
    [0, "0"],
    [1, "1"],
    [1, "1"],
  ]);
});

test("a new runtime list starts the sequences over", () => {
  const def = [{ type: "SequentialJsonMockedTracerResponse", path: "/p", mocked_json_sequence: [{ n: 0 }, { n: 1 }] }];
  const store = storeWith(def);
  store.editTracerAnswer(request("/p"), agentAnswer(200, "{}"));
  store.replaceTracerMocks(parseTracerMocks(def as never));
  assert.equal(JSON.parse(store.editTracerAnswer(request("/p"), agentAnswer(200, "{}")).body.toString()).n, 0);
});

const INFO = '{"version":"7.60.0","endpoints":["/v0.4/traces"],"span_meta_structs":true,"client_drop_p0s":true,"obfuscation_version":1}';

test("the /info editors change the agent's 200 answer, internal ones first, then runtime ones", () => {
  const store = storeWith(
    [{ type: "SetClientDropP0s", client_drop_p0s: false }, { type: "SetObfuscationVersion", obfuscation_version: "MISSING" }],
    [{ type: "SetSpanEventFlags", span_events: true }, { type: "AddRemoteConfigEndpoint" }, { type: "RemoveMetaStructsSupport" }],
  );
  const out = store.editTracerAnswer(request("/info"), agentAnswer(200, INFO));
  assert.equal(out.body.toString(), '{"version": "7.60.0", "endpoints": ["/v0.4/traces", "/v0.7/config"], "client_drop_p0s": false, "span_events": true}');
});

test("the /info editors leave a non-200 answer alone", () => {
  const store = storeWith([{ type: "SetSpanEventFlags", span_events: false }]);
  const answer = agentAnswer(500, INFO);
  assert.deepEqual(store.editTracerAnswer(request("/info"), answer).body, answer.body);
});

test("AddRemoteConfigEndpoint does not rewrite an answer that lists /v0.7/config already", () => {
  const store = storeWith([{ type: "AddRemoteConfigEndpoint" }]);
  const body = '{"endpoints":["/v0.7/config"]}';
  assert.equal(store.editTracerAnswer(request("/info"), agentAnswer(200, body)).body.toString(), body);
});

test("SetObfuscationVersion sets a number", () => {
  const store = storeWith([{ type: "SetObfuscationVersion", obfuscation_version: 7 }]);
  assert.equal(JSON.parse(store.editTracerAnswer(request("/info"), agentAnswer(200, INFO)).body.toString()).obfuscation_version, 7);
});

test("a gzip-encoded answer is edited through its encoding", () => {
  const store = storeWith([{ type: "SetSpanEventFlags", span_events: true }]);
  const body = gzipSync('{"endpoints":[]}');
  const out = store.editTracerAnswer(request("/info"), { statusCode: 200, headers: [["Content-Encoding", "gzip"], ["Content-Length", String(body.length)]], body });
  assert.equal(gunzipSync(out.body).toString(), '{"endpoints": [], "span_events": true}');
  assert.deepEqual(header(out, "content-length"), [String(out.body.length)]);
});

test("StaticJson gates by products on /v0.7/config only: on another path the JSON goes out whole", () => {
  const store = storeWith([{ type: "StaticJsonMockedTracerResponse", path: "/v0.4/traces", mocked_json: RC_ANSWER }]);
  const out = store.editTracerAnswer(request("/v0.4/traces", { client: { products: ["ASM_DD"] } }), agentAnswer(200, "{}", [["Content-Type", "text/plain"]]));
  assert.deepEqual(JSON.parse(out.body.toString()), RC_ANSWER);
  assert.deepEqual(out.headers, [["Content-Type", "application/json"], ["content-length", String(out.body.length)]]);
});

test("an /info editor with nothing to change leaves the agent's bytes as they were", () => {
  const compact = '{"endpoints":["/v0.7/config"],"x":1}';
  const store = storeWith([{ type: "RemoveMetaStructsSupport" }, { type: "SetObfuscationVersion", obfuscation_version: "MISSING" }, { type: "AddRemoteConfigEndpoint" }]);
  assert.equal(store.editTracerAnswer(request("/info"), agentAnswer(200, compact)).body.toString(), compact);
});

test("an /info editor that cannot apply says why, and the others still apply", () => {
  const lines: string[] = [];
  const store = new MockStore({ tracer: [], backend: [] }, (line) => lines.push(line));
  store.replaceTracerMocks(parseTracerMocks([{ type: "AddRemoteConfigEndpoint" }, { type: "SetClientDropP0s", client_drop_p0s: true }]));
  assert.equal(store.editTracerAnswer(request("/info"), agentAnswer(200, '{"version": "7"}')).body.toString(), '{"version": "7", "client_drop_p0s": true}');
  assert.equal(store.editTracerAnswer(request("/info"), agentAnswer(200, "[1]")).body.toString(), "[1]");
  assert.deepEqual(lines, [
    "library: POST /info: tracer mock AddRemoteConfigEndpoint not applied: the /info answer has no endpoints list",
    "library: POST /info: applied tracer mock SetClientDropP0s",
    "library: POST /info: tracer mock AddRemoteConfigEndpoint not applied: the /info answer is not a JSON object",
    "library: POST /info: tracer mock SetClientDropP0s not applied: the /info answer is not a JSON object",
  ]);
});

test("an /info answer that is not JSON is left as it is", () => {
  const store = storeWith([{ type: "SetSpanEventFlags", span_events: true }]);
  assert.equal(store.editTracerAnswer(request("/info"), agentAnswer(200, "<html>")).body.toString(), "<html>");
});

test("SequentialRemoteConfig keeps only the configs of the products each poll lists", () => {
  const store = storeWith([{ type: "SequentialRemoteConfigJsonMockedTracerResponse", mocked_json_sequence: [RC_ANSWER] }]);
  const poll = (products: string[]) => request("/v0.7/config", { client: { products, client_tracer: { runtime_id: "r1" } } });
  const out = store.editTracerAnswer(poll(["ASM_DD"]), agentAnswer(200, "{}"));
  assert.deepEqual(JSON.parse(out.body.toString()), {
    targets: "dGFyZ2V0cw==",
    client_configs: ["datadog/2/ASM_DD/b/config"],
    target_files: [{ path: "datadog/2/ASM_DD/b/config", raw: "e30=" }],
  });
  // The next poll of the same tracer, subscribed to more, gets more of the same (last) answer.
  const wider = store.editTracerAnswer(poll(["ASM_DD", "APM_TRACING", "ASM_FEATURES"]), agentAnswer(200, "{}"));
  assert.deepEqual(JSON.parse(wider.body.toString()), RC_ANSWER);
});
