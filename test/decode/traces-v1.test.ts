// /v1.0/traces payloads, written by a test msgpack writer from Maps with integer keys; the expected
// uncompressed form is worked out by hand from the string stream (index 0 is "", then every
// string value in wire order).
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeMessage } from "../../src/decode/index.js";
import type { Json } from "../../src/json/value.js";
import { packValue as pack } from "../helpers/msgpack-writer.js";

const m = (...entries: [unknown, unknown][]) => new Map(entries);

function decodeV1(body: Buffer, contentType = "application/msgpack") {
  return decodeMessage({ side: "request", interface: "library", method: "POST", path: "/v1.0/traces", headers: [["Content-Type", contentType]], body }, { filesDir: "/f" });
}

const TRACE_ID = Buffer.from("0102030405060708090a0b0c0d0e0f10", "hex");

test("keys named, string references resolved, attributes as maps, trace id as hex", () => {
  // string stream: 1 "nodejs", 2 "svc", 3 "op", 4 "http.method", 5 "GET", 6 "db.rows", 7 "ratio",
  // 8 "flag", 9 "tags", 10 "a"
  const payload = m(
    [1, []],
    [3, "nodejs"],
    [
      11,
      [
        m(
          [1, 1],
          [
            4,
            [
              m(
                [1, "svc"],
                [2, "op"],
                [3, 2], // resource: a reference to "svc"
                [4, 77],
                [9, ["http.method", 1, "GET", "db.rows", 4, -3, "ratio", 3, 0.5, "flag", 2, true, "tags", 6, [1, "a", 4, 2, 1, 7], 0, 1, 5]],
                [16, 2],
              ),
            ],
          ],
          [6, TRACE_ID],
        ),
      ],
    ],
  );
  const out = decodeV1(pack(payload));
  assert.equal(out.traceback, undefined, out.traceback);
  assert.deepEqual(out.content as Json, {
    strings: [],
    language_name: "nodejs",
    chunks: [
      {
        priority: 1,
        spans: [
          {
            service: "svc",
            name: "op",
            resource: "svc",
            span_id: 77,
            attributes: { "http.method": "GET", "db.rows": -3, ratio: 0.5, flag: true, tags: ["a", 2, "ratio"], "": "GET" },
            span_kind: 2,
          },
        ],
        trace_id: "0x0102030405060708090A0B0C0D0E0F10",
      },
    ],
  });
});

test("bytes attributes: msgpack when they are one msgpack value, else ASCII; appsec/JSON attributes expanded", () => {
  const attrs = [
    "appsec", 5, pack({ triggers: [1] }),
    "note", 5, Buffer.from("hello"), // not one msgpack value: ASCII
    "one", 5, Buffer.from("1"), // the single msgpack value 0x31 = 49
    "_dd.appsec.json", 1, '{"a": 1}',
    "_dd.appsec.s.req", 1, "[2]",
  ];
  const payload = m([11, [m([4, [m([9, attrs])]], [6, TRACE_ID])]]);
  const out = decodeV1(pack(payload));
  assert.equal(out.traceback, undefined, out.traceback);
  const span = ((out.content as { chunks: { spans: Record<string, Json>[] }[] }).chunks[0].spans[0]);
  assert.deepEqual(span.attributes, { appsec: { triggers: [1] }, note: "hello", one: 49, "_dd.appsec.json": { a: 1 }, "_dd.appsec.s.req": [2] });
});

test("span links and events get their field names; link trace ids in hex", () => {
  // strings: 1 "k", 2 "v", 3 "ev"
  const link = m([1, TRACE_ID], [2, 5], [3, ["k", 1, "v"]], [4, 1]);
  const event = m([1, 123], [2, "ev"], [3, [1, 1, 2]]);
  const payload = m([11, [m([4, [m([11, [link]], [12, [event]])]], [6, TRACE_ID])]]);
  const out = decodeV1(pack(payload));
  assert.equal(out.traceback, undefined, out.traceback);
  const span = (out.content as { chunks: { spans: Record<string, Json>[] }[] }).chunks[0].spans[0];
  assert.deepEqual(span.span_links, [{ trace_id: "0x0102030405060708090A0B0C0D0E0F10", span_id: 5, attributes: { k: "v" }, trace_state: 1, tracestate: "k" }]);
  assert.deepEqual(span.span_events, [{ time_unix_nano: 123, name: "ev", attributes: { k: "v" } }]);
});

test("key-value list attributes: keys and string values resolved, nested lists typed, a list inside an array left as sent", () => {
  // strings (map values only, as the reference streams them; keys are not): 1 "kv", 2 "x",
  // 3 "y", 4 "z", 5 "ab", 6 "raw"
  const kvl = m(
    ["a", [1, "x"]], // a string
    [1, [4, 5]], // the key as a reference ("kv"), an int
    ["nested", [7, m(["b", [1, 2]])]], // a list in a list: typed too, 2 is a reference to "x"
    ["arr", [6, [1, "y", 7, m(["c", [1, "z"]])]]], // inside an array, a list stays as sent
    ["pair", "ab"], // any two items unpack: type "a" is none, so the value "b" stays
    ["unknown", [9, "raw"]], // type 9 is not an AnyValue: the value as it is
    ["three", [1, 2, 3]], // not a pair: kept whole
  );
  const payload = m([11, [m([4, [m([9, ["kv", 7, kvl]])]], [6, TRACE_ID])]]);
  const out = decodeV1(pack(payload));
  assert.equal(out.traceback, undefined, out.traceback);
  const span = (out.content as { chunks: { spans: Record<string, Json>[] }[] }).chunks[0].spans[0];
  assert.deepEqual(span.attributes, {
    kv: { a: "x", kv: 5, nested: { b: "x" }, arr: ["y", { c: [1, "z"] }], pair: "b", unknown: "raw", three: [1, 2, 3] },
  });
});

test("span link trace ids sent as base64 text become hex; text that is not base64 stays as sent", () => {
  const links = [m([1, TRACE_ID.toString("base64")], [2, 1]), m([1, "not base64!"], [2, 2])];
  const payload = m([11, [m([4, [m([11, links])]], [6, TRACE_ID])]]);
  const out = decodeV1(pack(payload));
  assert.equal(out.traceback, undefined, out.traceback);
  const span = (out.content as { chunks: { spans: Record<string, Json>[] }[] }).chunks[0].spans[0];
  assert.deepEqual(span.span_links, [
    { trace_id: "0x0102030405060708090A0B0C0D0E0F10", span_id: 1 },
    { trace_id: "not base64!", span_id: 2 },
  ]);
});

test("an empty map or a v0.4-style array gives {}; a text/plain body is text", () => {
  assert.deepEqual(decodeV1(pack(new Map())).content, {});
  assert.deepEqual(decodeV1(pack([[{ a: 1 }]])).content, {});
  assert.equal(decodeV1(Buffer.from("not msgpack"), "text/plain; charset=utf-8").content, "not msgpack");
});

test("unknown keys, a chunk without a bytes trace id, or bad attribute triples fail", () => {
  assert.match(decodeV1(pack(m([99, 1]))).traceback ?? "", /Unknown V1TracePayloadKey/);
  assert.match(decodeV1(pack(m([11, [m([1, 1])]]))).traceback ?? "", /Trace ID is not a bytes/);
  assert.match(decodeV1(pack(m([11, [m([4, [m([9, ["k", 1]])]], [6, TRACE_ID])]]))).traceback ?? "", /multiple of 3/);
  assert.match(decodeV1(pack(m([11, [m([4, [m([99, 1])]], [6, TRACE_ID])]]))).traceback ?? "", /KeyError/);
});
