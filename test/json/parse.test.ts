// What Python's json.loads makes of each text (checked with CPython 3.11: type and value).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJson } from "../../src/json/parse.js";
import { PyFloat } from "../../src/json/value.js";

test("a whole float token alone in the text stays a float, whichever of .0 or an exponent makes it one", () => {
  // Each text holds a single trigger, so the quick "may it hold such numbers" test must see that one.
  const cases: [string, number][] = [["[1.0]", 1], ["[1e3]", 1000], ["[1E3]", 1000], ["[1e+3]", 1000], ["[1e10]", 1e10], ["[2E-0]", 2], ["[0.0]", 0], ["[9.0]", 9], ["[-3.0]", -3]];
  for (const [text, value] of cases) assert.deepEqual(parseJson(text), [new PyFloat(value)], text);
  // A whole text that is one number: no character after it to help the quick test along.
  assert.deepEqual(parseJson("1e3"), new PyFloat(1000));
  assert.deepEqual(parseJson("2.0"), new PyFloat(2));
});

test("sixteen digits or more: exact as a bigint only when a double cannot hold the integer", () => {
  assert.deepEqual(parseJson("[9007199254740993]"), [9007199254740993n]);
  assert.deepEqual(parseJson("[1234567890123456]"), [1234567890123456]);
  assert.deepEqual(parseJson("[-9007199254740993, 9007199254740991]"), [-9007199254740993n, 9007199254740991]);
});

test("numbers that are neither keep JSON.parse's value", () => {
  assert.deepEqual(parseJson("[1.5, 0.25e1, 10, -0, 1.05]"), [1.5, 2.5, 10, -0, 1.05]);
  assert.deepEqual(parseJson('{"a": [true, null, "1.0"]}'), { a: [true, null, "1.0"] });
});

test("escaped quotes inside strings do not end them: numbers inside stay text", () => {
  assert.deepEqual(parseJson('["a\\"1.0", "\\\\", 2.0]'), ['a"1.0', "\\", new PyFloat(2)]);
  assert.deepEqual(parseJson('["\\\\\\"9.0\\\\", 3.0]'), ['\\"9.0\\', new PyFloat(3)]);
});

test("invalid JSON is refused with a SyntaxError, also when it looks like it holds special numbers", () => {
  for (const text of ['"1.0', '["1.0', "[01.0]", "{1.0: 2}", "[1.0,]", "", "[1e]"]) assert.throws(() => parseJson(text), SyntaxError, JSON.stringify(text));
  assert.throws(() => parseJson('{"a": {12345678901234567890: 1}}'), { name: "SyntaxError", message: "expected a double-quoted property name, found a number" });
});
