import { test } from "node:test";
import assert from "node:assert/strict";
import { fromFlowRecord, toFlowRecord } from "../../src/record/flow.js";
import type { Exchange } from "../../src/model/exchange.js";
import { tracesExchange } from "../helpers/exchanges.js";

const ex = (): Exchange => tracesExchange();

test("flow records round-trip and reject malformed input naming the field", () => {
  const back = fromFlowRecord(JSON.parse(JSON.stringify(toFlowRecord(ex(), "x.json"))));
  assert.deepEqual(back.exchange, ex());
  assert.equal(back.logFilename, "x.json");
  assert.throws(() => fromFlowRecord({ ...toFlowRecord(ex()), port: "8127" }), /port/);
  assert.throws(() => fromFlowRecord({ ...toFlowRecord(ex()), request: { headers: [["a"]] } }), /request\.headers/);
});

test("the record form: bodies base64, killed and error only when set, log_filename only when given", () => {
  assert.deepEqual(toFlowRecord(ex()), {
    interface: "library",
    method: "PUT",
    path: "/v0.4/traces?a=1",
    host: "agent",
    port: 8127,
    timestamp_start: "2025-11-26T15:14:09.123456Z",
    request: { headers: [["Content-Type", "application/msgpack"]], body_b64: "kQAK/w==" },
    response: { status_code: 200, headers: [["Content-Type", "application/json"]], body_b64: "e30=" },
  });
  const failed: Exchange = { ...ex(), response: null, killed: true, error: "upstream refused" };
  const record = toFlowRecord(failed, "/l/x.json");
  assert.deepEqual([record.killed, record.error, record.log_filename, record.response], [true, "upstream refused", "/l/x.json", null]);
  const back = fromFlowRecord(JSON.parse(JSON.stringify(record)));
  assert.deepEqual(back.exchange, failed);
});

test("what a record may leave out: response (null or absent), bodies, headers, killed, error, log_filename", () => {
  const minimal = { interface: "agent", method: "GET", path: "/", host: "h", port: 1, timestamp_start: "2025-11-26T15:14:09Z", request: {} };
  assert.deepEqual(fromFlowRecord(minimal), {
    exchange: { interface: "agent", method: "GET", path: "/", host: "h", port: 1, startMicros: 1764170049000000, request: { headers: [], body: Buffer.alloc(0) }, response: null },
    logFilename: undefined,
  });
  const nulls = fromFlowRecord({ ...minimal, request: { body_b64: null }, response: { status_code: 204, body_b64: null }, killed: false, error: 3 });
  assert.deepEqual(nulls.exchange.request.body, Buffer.alloc(0));
  assert.deepEqual(nulls.exchange.response, { statusCode: 204, headers: [], body: Buffer.alloc(0) });
  assert.equal("killed" in nulls.exchange, false, "only killed: true is killed");
  assert.equal("error" in nulls.exchange, false, "an error that is not a string is no error");
});

test("each malformed field is named, with what was expected", () => {
  const good = toFlowRecord(ex());
  const cases: [unknown, string][] = [
    [null, "flow record: expected an object"],
    [[good], "flow record: expected an object"],
    ["{}", "flow record: expected an object"],
    [{ ...good, request: null }, "request: expected an object"],
    [{ ...good, request: [] }, "request: expected an object"],
    [{ ...good, response: "none" }, "response: expected an object"],
    [{ ...good, response: [] }, "response: expected an object"],
    [{ ...good, interface: 1 }, "interface: expected a string"],
    [{ ...good, method: null }, "method: expected a string"],
    [{ ...good, path: undefined }, "path: expected a string"],
    [{ ...good, host: ["agent"] }, "host: expected a string"],
    [{ ...good, port: 81.5 }, "port: expected an integer"],
    [{ ...good, timestamp_start: 1764170049 }, "timestamp_start: expected a string"],
    [{ ...good, request: { ...good.request, body_b64: 5 } }, "request.body_b64: expected a string"],
    [{ ...good, request: { ...good.request, headers: {} } }, "request.headers: expected a list of [name, value] string pairs"],
    [{ ...good, request: { ...good.request, headers: [["a", "b", "c"]] } }, "request.headers: expected a list of [name, value] string pairs"],
    [{ ...good, request: { ...good.request, headers: ["ab"] } }, "request.headers: expected a list of [name, value] string pairs"],
    [{ ...good, request: { ...good.request, headers: [[1, "b"]] } }, "request.headers: expected a list of [name, value] string pairs"],
    [{ ...good, request: { ...good.request, headers: [["a", 2]] } }, "request.headers: expected a list of [name, value] string pairs"],
    [{ ...good, request: { ...good.request, headers: [["a", "b"], ["c"]] } }, "request.headers: expected a list of [name, value] string pairs"],
    [{ ...good, response: { ...good.response, status_code: "200" } }, "response.status_code: expected an integer"],
    [{ ...good, response: { ...good.response, headers: [["a", null]] } }, "response.headers: expected a list of [name, value] string pairs"],
    [{ ...good, response: { ...good.response, body_b64: {} } }, "response.body_b64: expected a string"],
  ];
  for (const [value, message] of cases) assert.throws(() => fromFlowRecord(value), { message }, JSON.stringify(value));
});
