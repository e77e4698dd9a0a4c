// Every corpus case through `st-proxy decode`, scored by the corpus's own checker. A case that
// cannot pass yet must be named in test/decode/known-gaps.json (and in the README's known gaps).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, CORPUS_CASES, ROOT, SHARED, SHARED_PRESENT } from "../helpers/shared.js";

const knownGaps: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "test", "decode", "known-gaps.json"), "utf8"));

if (!SHARED_PRESENT) {
  test("corpus: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  // One checker run over all cases; its FAIL lines name the cases that did not match.
  let output: string;
  try {
    output = execFileSync(process.execPath, [join(SHARED, "tools", "corpus-check.mjs"), "--verbose", "--", process.execPath, CLI, "decode"], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? "";
  }
  const failures = new Map<string, string>();
  let current = "";
  for (const line of output.split("\n")) {
    const m = /^FAIL (\S+)/.exec(line);
    if (m) failures.set((current = m[1]), "");
    else if (line.startsWith("  ") && current) failures.set(current, failures.get(current) + line + "\n");
  }
  const cases = readdirSync(CORPUS_CASES)
    .filter((f) => f.endsWith(".flow.json"))
    .map((f) => f.replace(/\.flow\.json$/, ""))
    .sort();

  test("corpus: the checker ran over every case", () => {
    assert.match(output, /\d+ passed, \d+ failed/);
    assert.ok(cases.length > 0);
  });

  for (const name of cases) {
    const gap = knownGaps[name];
    test(`corpus: ${name}`, { todo: gap ? `known gap: ${gap}` : undefined }, () => {
      assert.ok(!failures.has(name), `st-proxy decode differs from the reference:\n${failures.get(name)}`);
    });
  }

  test("corpus: every known gap still names a failing case", () => {
    const stale = Object.keys(knownGaps).filter((name) => !failures.has(name));
    assert.deepEqual(stale, [], "these cases pass now: remove them from known-gaps.json and the README");
  });
}
