import { test } from "node:test";
import assert from "node:assert/strict";
import { PyFloat, isJsonObject, pyFloat } from "../../src/json/value.js";

test("isJsonObject: plain objects only (not null, lists, bytes or boxed floats)", () => {
  assert.equal(isJsonObject({}), true);
  assert.equal(isJsonObject({ a: 1 }), true);
  for (const other of [null, undefined, [], Buffer.from("x"), new PyFloat(1), "{}", 1, 1n, true]) assert.equal(isJsonObject(other), false, String(other));
});

test("pyFloat boxes whole values only", () => {
  assert.deepEqual(pyFloat(3), new PyFloat(3));
  assert.ok(Object.is((pyFloat(-0) as PyFloat).value, -0));
  assert.equal(pyFloat(2.5), 2.5);
});
