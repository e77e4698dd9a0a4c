// Which recorded response answers a request in `replay serve`: hand-made recordings.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Exchange } from "../../src/model/exchange.js";
import { RecordedResponses } from "../../src/replay/matcher.js";

function exchange(method: string, path: string, body: string, answer: string | null, extra: Partial<Exchange> = {}): Exchange {
  return {
    interface: "library",
    method,
    path,
    host: "agent",
    port: 8127,
    startMicros: 0,
    request: { headers: [], body: Buffer.from(body) },
    response: answer === null ? null : { statusCode: 200, headers: [], body: Buffer.from(answer) },
    ...extra,
  };
}

const answerOf = (r: ReturnType<RecordedResponses["match"]>) => (r.matched ? r.exchange.response!.body.toString() : `unmatched: ${r.reason}`);

test("matcher: the same method, target and body wins over recorded order", () => {
  const book = new RecordedResponses([exchange("PUT", "/v0.4/traces", "A", "first"), exchange("PUT", "/v0.4/traces", "B", "second")]);
  const r = book.match("PUT", "/v0.4/traces", Buffer.from("B"));
  assert.equal(answerOf(r), "second");
  assert.equal(r.matched && r.how, "same body");
});

test("matcher: otherwise the same method and path, each recorded answer once in recorded order, then the last again", () => {
  const book = new RecordedResponses([
    exchange("POST", "/v0.7/config", "poll", "one"),
    exchange("GET", "/info", "", "info"),
    exchange("POST", "/v0.7/config", "poll", "two"),
    exchange("POST", "/v0.7/config", "poll", "three"),
  ]);
  const other = Buffer.from("another body");
  assert.deepEqual(
    [1, 2, 3, 4, 5].map(() => answerOf(book.match("POST", "/v0.7/config", other))),
    ["one", "two", "three", "three", "three"],
  );
});

test("matcher: an exact match uses up that recorded answer for the path-only matches", () => {
  const book = new RecordedResponses([exchange("POST", "/t", "x", "one"), exchange("POST", "/t", "y", "two")]);
  assert.equal(answerOf(book.match("POST", "/t", Buffer.from("x"))), "one");
  assert.equal(answerOf(book.match("POST", "/t", Buffer.from("z"))), "two");
});

test("matcher: the query takes part in the exact match only", () => {
  const book = new RecordedResponses([exchange("GET", "/p?a=1", "", "a1"), exchange("GET", "/p?a=2", "", "a2")]);
  assert.equal(answerOf(book.match("GET", "/p?a=2", Buffer.alloc(0))), "a2");
  assert.equal(answerOf(book.match("GET", "/p?b=9", Buffer.alloc(0))), "a1");
});

test("matcher: another method, or a path never recorded, is unmatched with the reason", () => {
  const book = new RecordedResponses([exchange("PUT", "/v0.4/traces", "A", "ok")]);
  const wrongMethod = book.match("POST", "/v0.4/traces", Buffer.from("A"));
  assert.equal(wrongMethod.matched, false);
  assert.match(!wrongMethod.matched ? wrongMethod.reason : "", /no recorded POST \/v0\.4\/traces .*recorded: PUT \/v0\.4\/traces/);
  assert.equal(book.match("GET", "/elsewhere", Buffer.alloc(0)).matched, false);
});

test("matcher: exchanges recorded without an answer, or killed, never answer", () => {
  const book = new RecordedResponses([exchange("PUT", "/a", "", null), exchange("PUT", "/b", "", "gone", { killed: true }), exchange("PUT", "/b", "", "kept")]);
  assert.equal(book.size, 1);
  assert.equal(book.match("PUT", "/a", Buffer.alloc(0)).matched, false);
  assert.equal(answerOf(book.match("PUT", "/b", Buffer.alloc(0))), "kept");
});
