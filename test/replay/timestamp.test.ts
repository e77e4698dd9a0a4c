// The flow record keeps the exchange's start at the precision the dump shows (microseconds), so
// a dump rebuilt from the record shows the same timestamp_start. Values worked out by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { flowTimestamp, parseTimestamp, pythonIsoTimestamp } from "../../src/model/time.js";

// 2026-11-26T15:25:40Z is 1795706740 s since the epoch (date -u -d 2026-11-26T15:25:40Z +%s).
const SECOND = 1795706740;

for (const [micros, flow, dump] of [
  [SECOND * 1e6 + 627001, "2026-11-26T15:25:40.627001Z", "2026-11-26T15:25:40.627001+00:00"],
  [SECOND * 1e6 + 1, "2026-11-26T15:25:40.000001Z", "2026-11-26T15:25:40.000001+00:00"],
  [SECOND * 1e6 + 999999, "2026-11-26T15:25:40.999999Z", "2026-11-26T15:25:40.999999+00:00"],
  // Python's isoformat leaves a zero fraction out; the record still writes six digits.
  [SECOND * 1e6, "2026-11-26T15:25:40.000000Z", "2026-11-26T15:25:40+00:00"],
] as const) {
  test(`timestamp: ${flow} survives the flow record (dump shows ${dump})`, () => {
    assert.equal(flowTimestamp(micros), flow);
    assert.equal(parseTimestamp(flow), micros);
    assert.equal(pythonIsoTimestamp(parseTimestamp(flow)), dump);
  });
}
