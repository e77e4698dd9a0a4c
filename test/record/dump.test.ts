import { test } from "node:test";
import assert from "node:assert/strict";
import { dumpFilename } from "../../src/record/dump.js";

test("dump file names: counter on 5 digits, every / of the path replaced, query left out", () => {
  assert.equal(dumpFilename("./logs", "library", 3, "/v0.4/traces?x=1"), "./logs/interfaces/library/00003__v0.4_traces.json");
  assert.equal(dumpFilename("/l", "agent", 123456, "/"), "/l/interfaces/agent/123456__.json");
  const long = dumpFilename("/l", "library", 0, "/" + "a".repeat(400));
  assert.ok(long.split("/").pop()!.length < 255, "names stay within file-system limits");
});
