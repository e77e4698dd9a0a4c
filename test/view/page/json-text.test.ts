// The page's lossless JSON reader (plain browser JavaScript, run here in Node): integers past
// 2^53 stay exact, Python's NaN / Infinity read, key order and duplicate keys kept.
import { test } from "node:test";
import assert from "node:assert/strict";

// The page's modules are plain JavaScript without type declarations.
const mod: any = await import(new URL("../../../src/view/page/json-text.js", import.meta.url).href);

test("integers beyond 2^53 keep every digit", () => {
  const v = mod.parseJsonText('{"trace_id": 18446744073709551615, "span_id": 9007199254740993, "neg": -9223372036854775808, "f": 1.0, "e": 1e400}');
  assert.deepEqual(
    v.entries.map(([k, n]: [string, any]) => [k, n.text]),
    [
      ["trace_id", "18446744073709551615"],
      ["span_id", "9007199254740993"],
      ["neg", "-9223372036854775808"],
      ["f", "1.0"],
      ["e", "1e400"],
    ],
  );
  assert.equal(v.get("trace_id").bigint, 18446744073709551615n);
});

test("Python's tokens, escapes, duplicate keys, nesting", () => {
  const v = mod.parseJsonText('{"a": [NaN, Infinity, -Infinity, true, false, null], "s": "caf\\u00e9 \\"q\\" \\\\ \\ud83d\\udc36", "a": 1}');
  assert.deepEqual(v.entries[0][1].slice(0, 3).map((n: any) => n.text), ["NaN", "Infinity", "-Infinity"]);
  assert.deepEqual(v.entries[0][1].slice(3), [true, false, null]);
  assert.equal(v.get("s"), 'café "q" \\ 🐶');
  assert.equal(v.entries.length, 3);
  assert.equal(v.get("a").text, "1");
});

test("malformed text is refused with where", () => {
  for (const bad of ['{"a": 1,}', "[1 2]", '"open', "01", "{} x", '{"a": undefined}']) assert.throws(() => mod.parseJsonText(bad), SyntaxError, bad);
});
