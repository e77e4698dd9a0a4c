import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Recorder } from "../../src/record/recorder.js";
import { Scrubber } from "../../src/record/scrub.js";
import { tempDir } from "../helpers/serve.js";
import { flowsDir } from "../../src/record/layout.js";

test("a flow record that cannot be written does not cost the dump", () => {
  const logFolder = tempDir();
  // A file where the flows folder of the interface should be: every flow write fails.
  mkdirSync(flowsDir(logFolder), { recursive: true });
  writeFileSync(join(flowsDir(logFolder), "library"), "not a folder");
  const recorder = new Recorder({ logFolder, scrubber: new Scrubber([]), flows: true });
  const errors: string[] = [];
  const original = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    recorder.record({
      interface: "library",
      method: "GET",
      path: "/info",
      host: "agent",
      port: 8127,
      startMicros: 1764170049000000,
      request: { headers: [], body: Buffer.alloc(0) },
      response: { statusCode: 200, headers: [], body: Buffer.from("{}") },
    });
  } finally {
    console.error = original;
  }
  assert.ok(existsSync(join(logFolder, "interfaces", "library", "00000__info.json")), "the dump is written");
  assert.equal(recorder.writeFailures, 1);
  assert.match(errors.join("\n"), /flows\/library/);
});
