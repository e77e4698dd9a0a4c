import { test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { dumpFilename } from "../../src/record/dump.js";
import { makeDumpFile } from "../../src/record/dump-file.js";
import { Scrubber } from "../../src/record/scrub.js";
import type { Exchange } from "../../src/model/exchange.js";

test("dump file names: counter on 5 digits, every / of the path replaced, query left out", () => {
  assert.equal(dumpFilename("./logs", "library", 3, "/v0.4/traces?x=1"), "./logs/interfaces/library/00003__v0.4_traces.json");
  assert.equal(dumpFilename("/l", "agent", 123456, "/"), "/l/interfaces/agent/123456__.json");
  const long = dumpFilename("/l", "library", 0, "/" + "a".repeat(400));
  assert.ok(long.split("/").pop()!.length < 255, "names stay within file-system limits");
});

test("a long path is cut to 200 bytes in the name, never inside a character, and a name at the limit is kept", () => {
  const name = (path: string) => dumpFilename("/l", "library", 0, path).slice("/l/interfaces/library/00000_".length, -".json".length);
  const exact = "/" + "a".repeat(199);
  assert.equal(name(exact), "_" + "a".repeat(199));
  assert.equal(name(exact + "b"), "_" + "a".repeat(199));
  // "é" is 2 bytes: the 200th byte is its first half, which is dropped rather than shown as U+FFFD.
  assert.equal(name("/" + "a".repeat(198) + "é"), "_" + "a".repeat(198));
  // A U+FFFD the path really has, before the cut, stays.
  assert.equal(name("/a\uFFFDb" + "c".repeat(300)), "_a\uFFFDb" + "c".repeat(194));
});

const exchange = (overrides: Partial<Exchange> = {}): Exchange => ({
  interface: "library",
  method: "PUT",
  path: "/v0.4/traces?x=1",
  host: "agent",
  port: 8126,
  startMicros: 1764170049123456,
  request: { headers: [["Content-Type", "application/msgpack"]], body: Buffer.from(encode([[{ name: "s", span_id: 1 }]])) },
  response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from('{"rate_by_service":{}}') },
  ...overrides,
});

/** The dump as the tests container reads it. */
const dumpOf = (ex: Exchange, maxBodySize?: number) =>
  JSON.parse(Buffer.concat(makeDumpFile(ex, "/l/interfaces/library/00000__v0.4_traces.json", { filesDir: "/l/interfaces/library/files", scrubber: new Scrubber([]), maxBodySize }).parts).toString());

test("a dump: where and when, headers, each side's length and decoded content, no error", () => {
  assert.deepEqual(dumpOf(exchange()), {
    log_filename: "/l/interfaces/library/00000__v0.4_traces.json",
    path: "/v0.4/traces",
    query: "x=1",
    host: "agent",
    port: 8126,
    method: "PUT",
    request: {
      timestamp_start: "2025-11-26T15:14:09.123456+00:00",
      headers: [["Content-Type", "application/msgpack"]],
      length: 19, // 91 91 82, a4 "name", a1 "s", a7 "span_id", 01
      content: [[{ name: "s", span_id: 1 }]],
    },
    response: { status_code: 200, headers: [["Content-Type", "application/json"]], length: 22, content: { rate_by_service: {} } },
  });
});

test("a body that does not decode is shown raw with its traceback; the other side is decoded", () => {
  const dump = dumpOf(exchange({ request: { headers: [["Content-Type", "application/msgpack"]], body: Buffer.from([0xc1]) } }));
  assert.equal(dump.request.length, 1);
  assert.equal(dump.request.raw_content, "b'\\xc1'");
  assert.match(dump.request.traceback, /^MsgpackError: /);
  assert.equal("content" in dump.request, false);
  assert.deepEqual(dump.response.content, { rate_by_service: {} });
  assert.equal("error" in dump, false, "an undecodable payload is no error of the exchange");
});

test("a body past --max-body-size is not decoded, and the dump's error says which side; the exchange's own error comes first", () => {
  const big = Buffer.from(JSON.stringify({ k: "x".repeat(100) }));
  const json: [string, string][] = [["Content-Type", "application/json"]];
  const request = dumpOf(exchange({ request: { headers: json, body: big } }), 64);
  assert.match(request.error, /^request body not decoded: .*limit of 64 bytes/);
  assert.deepEqual(request.response.content, { rate_by_service: {} });
  const both = dumpOf(exchange({ error: "upstream slow", request: { headers: json, body: big }, response: { statusCode: 200, headers: json, body: big } }), 64);
  assert.match(both.error, /^upstream slow; request body not decoded: .*; response body not decoded: .*limit of 64 bytes/);
  assert.equal(dumpOf(exchange({ request: { headers: json, body: big } })).request.content.k.length, 100, "no limit given: the default one");
});

test("a killed exchange shows no response, and neither does one that got none", () => {
  assert.equal(dumpOf(exchange({ killed: true })).response, null);
  const none = dumpOf(exchange({ response: null, error: "upstream refused" }));
  assert.deepEqual([none.response, none.error], [null, "upstream refused"]);
});
