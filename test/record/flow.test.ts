import { test } from "node:test";
import assert from "node:assert/strict";
import { fromFlowRecord, toFlowRecord } from "../../src/record/flow.js";

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
