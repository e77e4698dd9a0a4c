// Python tells 1 from 1.0, and so do the tests that read the dumps; JSON.parse (and the corpus
// checker) do not. Here every number of every corpus dump must come out as the reference typed
// it: an int where it wrote an int, a float where it wrote a float.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildDump, dumpFilename } from "../../src/record/dump.js";
import { fromFlowRecord } from "../../src/record/flow.js";
import { writePythonJson } from "../../src/json/write.js";
import { CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";
import { numberKinds } from "../helpers/typed-json.js";

if (!SHARED_PRESENT) {
  test("corpus number types: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  const names = readdirSync(CORPUS_CASES).filter((f) => f.endsWith(".flow.json")).map((f) => f.replace(/\.flow\.json$/, "")).sort();
  let compared = 0;
  for (const name of names) {
    const expectedText = readFileSync(join(CORPUS_CASES, `${name}.expected.json`), "utf8");
    if (expectedText.trim() === "null") continue;
    test(`corpus number types: ${name}`, () => {
      const { exchange, logFilename } = fromFlowRecord(JSON.parse(readFileSync(join(CORPUS_CASES, `${name}.flow.json`), "utf8")));
      const file = logFilename ?? dumpFilename("./logs", exchange.interface, 0, exchange.path);
      const actual = numberKinds(writePythonJson(buildDump(exchange, file, `${dirname(file)}/files`).dump));
      const expected = numberKinds(expectedText);
      const wrong = [...expected].filter(([path, kind]) => actual.has(path) && actual.get(path) !== kind).map(([path, kind]) => `${path}: the reference wrote a ${kind}`);
      assert.deepEqual(wrong, []);
      compared += expected.size;
    });
  }
  test("corpus number types: numbers of both kinds were compared", () => {
    assert.ok(compared > 1000, `${compared} numbers`);
  });
}
