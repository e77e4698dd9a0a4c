import { test } from "node:test";
import assert from "node:assert/strict";
import { flowTimestamp, parseTimestamp, pythonIsoTimestamp } from "../../src/model/time.js";

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
