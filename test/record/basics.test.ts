import { test } from "node:test";
import assert from "node:assert/strict";
import { flowTimestamp, parseTimestamp, pythonIsoTimestamp } from "../../src/model/time.js";
import { foldHeaders, headerValue } from "../../src/model/headers.js";
import { Scrubber, secretsFromEnv } from "../../src/record/scrub.js";
import { dumpFilename } from "../../src/record/dump.js";
import { fromFlowRecord, toFlowRecord } from "../../src/record/flow.js";

test("timestamps as Python's datetime.isoformat() writes them (values from CPython)", () => {
  assert.equal(pythonIsoTimestamp(1764170049123456), "2025-11-26T15:14:09.123456+00:00");
  assert.equal(pythonIsoTimestamp(1764170049000000), "2025-11-26T15:14:09+00:00");
  assert.equal(pythonIsoTimestamp(1764170049000001), "2025-11-26T15:14:09.000001+00:00");
  assert.equal(flowTimestamp(1764170049000001), "2025-11-26T15:14:09.000001Z");
  assert.equal(parseTimestamp("2025-11-26T15:14:09.000001Z"), 1764170049000001);
  assert.equal(parseTimestamp("2026-11-26T15:23:10.788Z"), Date.parse("2026-11-26T15:23:10.788Z") * 1000);
  assert.equal(parseTimestamp("2025-11-26T16:14:09.5+01:00"), 1764170049500000);
  assert.throws(() => parseTimestamp("yesterday"));
});

test("headers fold as mitmproxy shows them: one per name, first spelling, values joined", () => {
  const raw: [string, string][] = [
    ["Content-Type", "application/msgpack"],
    ["X-A", "1"],
    ["content-type", "application/msgpack"],
    ["x-a", "2"],
  ];
  assert.deepEqual(foldHeaders(raw), [
    ["Content-Type", "application/msgpack, application/msgpack"],
    ["X-A", "1, 2"],
  ]);
  assert.equal(headerValue(raw, "CONTENT-TYPE"), "application/msgpack, application/msgpack");
  assert.equal(headerValue(raw, "missing"), undefined);
  assert.deepEqual(raw[0], ["Content-Type", "application/msgpack"], "input untouched");
});

test("secrets: names matching key|token|secret|pass|docker_login with values longer than 6", () => {
  const secrets = secretsFromEnv({ DD_API_KEY: "abcdefg", MY_TOKEN: "123456", PASSWORD: " hunter22 ", HOME: "/root/verylong", AWS_VAULT_KEYCHAIN_NAME: "login-keychain", Docker_Login: "someone1" });
  assert.deepEqual(new Set(secrets), new Set(["abcdefg", "hunter22", "someone1"]));
  const s = new Scrubber(["abcdefg", "abcdefgh"]);
  assert.equal(s.text("x abcdefgh y abcdefg"), "x --redacted-- y --redacted--");
  assert.equal(s.bytes(Buffer.from("abcdefgabcdefg!")).toString(), "--redacted----redacted--!");
});

test("dump file names: counter on 5 digits, every / of the path replaced, query left out", () => {
  assert.equal(dumpFilename("./logs", "library", 3, "/v0.4/traces?x=1"), "./logs/interfaces/library/00003__v0.4_traces.json");
  assert.equal(dumpFilename("/l", "agent", 123456, "/"), "/l/interfaces/agent/123456__.json");
  const long = dumpFilename("/l", "library", 0, "/" + "a".repeat(400));
  assert.ok(long.split("/").pop()!.length < 255, "names stay within file-system limits");
});

test("flow records round-trip and reject malformed input naming the field", () => {
  const ex = {
    interface: "library",
    method: "PUT",
    path: "/v0.4/traces?a=1",
    host: "agent",
    port: 8127,
    startMicros: 1764170049123456,
    request: { headers: [["Content-Type", "application/msgpack"]] as [string, string][], body: Buffer.from([0x90]) },
    response: { statusCode: 200, headers: [] as [string, string][], body: Buffer.from("{}") },
  };
  const back = fromFlowRecord(JSON.parse(JSON.stringify(toFlowRecord(ex, "x.json"))));
  assert.deepEqual(back.exchange, ex);
  assert.equal(back.logFilename, "x.json");
  assert.throws(() => fromFlowRecord({ ...toFlowRecord(ex), port: "8127" }), /port/);
  assert.throws(() => fromFlowRecord({ ...toFlowRecord(ex), request: { headers: [["a"]] } }), /request\.headers/);
});
