import { test } from "node:test";
import assert from "node:assert/strict";
import { foldHeaders, headerValue } from "../../src/model/headers.js";

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
