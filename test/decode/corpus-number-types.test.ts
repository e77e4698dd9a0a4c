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
  // Counted from each side: numbers the reference wrote, and numbers st-proxy wrote at those paths.
  let expectedCount = 0;
  let actualCount = 0;
  const kindsSeen = { int: 0, float: 0 };
  for (const name of names) {
    const expectedText = readFileSync(join(CORPUS_CASES, `${name}.expected.json`), "utf8");
    if (expectedText.trim() === "null") continue;
    test(`corpus number types: ${name}`, () => {
      const { exchange, logFilename } = fromFlowRecord(JSON.parse(readFileSync(join(CORPUS_CASES, `${name}.flow.json`), "utf8")));
      const file = logFilename ?? dumpFilename("./logs", exchange.interface, 0, exchange.path);
      const actual = numberKinds(writePythonJson(buildDump(exchange, file, `${dirname(file)}/files`).dump));
      const expected = numberKinds(expectedText);
      // A number st-proxy left out (or wrote where the reference had none) is as wrong as a mistyped one.
      const wrong = [...expected]
        .filter(([path, kind]) => actual.get(path) !== kind)
        .map(([path, kind]) => `${path}: the reference wrote a ${kind}, st-proxy ${actual.has(path) ? `a ${actual.get(path)}` : "nothing"}`);
      const extra = [...actual.keys()].filter((path) => !expected.has(path)).map((path) => `${path}: st-proxy wrote a number the reference did not`);
      assert.deepEqual([...wrong, ...extra], []);
      expectedCount += expected.size;
      actualCount += actual.size;
      for (const kind of expected.values()) kindsSeen[kind]++;
    });
  }
  test("corpus number types: numbers of both kinds were compared, as many on each side", () => {
    assert.ok(expectedCount > 1000, `${expectedCount} numbers in the reference's dumps`);
    assert.equal(actualCount, expectedCount, "numbers in st-proxy's dumps");
    assert.ok(kindsSeen.int > 1000 && kindsSeen.float > 50, JSON.stringify(kindsSeen));
  });
}
