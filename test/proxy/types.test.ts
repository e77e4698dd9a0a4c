import { test } from "node:test";
import assert from "node:assert/strict";
import { textAnswer } from "../../src/proxy/types.js";

test("textAnswer: the status, a text body with its type and length, as st-proxy's own answers carry", () => {
  assert.deepEqual(textAnswer(502, "upstream refused\n"), {
    statusCode: 502,
    headers: [["Content-Type", "text/plain; charset=utf-8"], ["Content-Length", "17"]],
    body: Buffer.from("upstream refused\n"),
  });
  const json = textAnswer(200, '{"é": 1}', "application/json");
  assert.deepEqual(json.headers, [["Content-Type", "application/json"], ["Content-Length", "9"]], "the length in bytes (8 characters, 9 bytes)");
});
