// The tracer's msgpack trace payloads (v0.4, v0.5) through decodeMessage. Payloads are
// written by @msgpack/msgpack (another implementation); expected values are derived by hand,
// 64-bit ones by BigInt arithmetic.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { encode } from "@msgpack/msgpack";
import { decodeMessage } from "../../src/decode/index.js";
import type { Json } from "../../src/json/value.js";

const TWO_64 = 1n << 64n;
const pack = (v: unknown) => Buffer.from(encode(v, { useBigInt64: true }));

function decodeTraces(payload: unknown, path = "/v0.4/traces", iface = "library", contentType = "application/msgpack") {
  return decodeMessage(
    { side: "request", interface: iface, method: "PUT", path, headers: [["Content-Type", contentType]], body: Buffer.isBuffer(payload) ? payload : pack(payload) },
    { filesDir: "/logs/interfaces/library/files" },
  );
}
const content = (out: ReturnType<typeof decodeTraces>): Json => {
  assert.equal(out.traceback, undefined, out.traceback);
  return out.content as Json;
};
const firstSpan = (out: ReturnType<typeof decodeTraces>) => (content(out) as Json[][])[0][0] as Record<string, Json>;

const baseSpan = { name: "web.request", resource: "GET /", service: "weblog", type: "web", start: 1, duration: 2, error: 0, meta: {}, metrics: {} };

test("v0.4: ids become unsigned 64-bit: uint64 max kept, negative int64 two's-complemented", () => {
  const span = firstSpan(
    decodeTraces([[{ ...baseSpan, trace_id: TWO_64 - 1n, span_id: -2n, parent_id: -(1n << 63n) }, { ...baseSpan, trace_id: 1, span_id: -5, parent_id: 0 }]]),
  );
  assert.equal(span.trace_id, 18446744073709551615n);
  assert.equal(span.trace_id, TWO_64 - 1n);
  assert.equal(span.span_id, TWO_64 - 2n);
  assert.equal(span.parent_id, 1n << 63n);
  const second = (content(decodeTraces([[{ ...baseSpan, trace_id: 1, span_id: -5, parent_id: 0 }]])) as Json[][])[0][0] as Record<string, Json>;
  assert.equal(second.span_id, TWO_64 - 5n);
  assert.equal(second.trace_id, 1);
  assert.equal(second.parent_id, 0);
});

test("v0.4: JSON in _dd.appsec.json, _dd.iast.json and _dd.appsec.s.* is expanded", () => {
  const appsecS = gzipSync(JSON.stringify({ body: { a: [1, 2] } })).toString("base64");
  const span = firstSpan(
    decodeTraces([
      [
        {
          ...baseSpan,
          trace_id: 1,
          span_id: 1,
          meta: { "_dd.appsec.json": '{"triggers": []}', "_dd.iast.json": '{"hash": -987654321}', "_dd.appsec.s.req.body": appsecS, "_dd.appsec.s.res.headers": ' [{"x": 1}]', other: '{"kept": "as text"}' },
        },
      ],
    ]),
  );
  assert.deepEqual(span.meta, {
    "_dd.appsec.json": { triggers: [] },
    "_dd.iast.json": { hash: -987654321 },
    "_dd.appsec.s.req.body": { body: { a: [1, 2] } },
    "_dd.appsec.s.res.headers": [{ x: 1 }],
    other: '{"kept": "as text"}',
  });
});

test("v0.4: an _dd.appsec.s.* value that is neither JSON nor base64 fails the payload", () => {
  const out = decodeTraces([[{ ...baseSpan, trace_id: 1, span_id: 1, meta: { "_dd.appsec.s.req.body": "{bad json" } }]]);
  assert.equal(out.content, undefined);
  assert.match(out.traceback ?? "", /Only base64 data is allowed/);
});

test("v0.4: bytes values become ASCII text; meta_struct is msgpack inside msgpack", () => {
  const inner = pack({ triggers: [{ rule: { id: "crs-941-110" }, raw: new Uint8Array([0, 1]) }] });
  const span = firstSpan(decodeTraces([[{ ...baseSpan, trace_id: 1, span_id: 1, resource: Buffer.from("GET /bin"), meta: { "bin.meta": Buffer.from("ascii") }, meta_struct: { appsec: inner } }]]));
  assert.equal(span.resource, "GET /bin");
  assert.deepEqual(span.meta, { "bin.meta": "ascii" });
  // bytes inside meta_struct's own content are not converted: written as Python's repr
  assert.deepEqual(span.meta_struct, { appsec: { triggers: [{ rule: { id: "crs-941-110" }, raw: "b'\\x00\\x01'" }] } });
});

test("v0.4: bytes inside lists of a span are left as bytes (repr), as the reference walks only dicts", () => {
  const span = firstSpan(decodeTraces([[{ ...baseSpan, trace_id: 1, span_id: 1, links: [Buffer.from("x'")] }]]));
  assert.deepEqual(span.links, [`b"x'"`]);
});

test("v0.4: a non-ASCII bytes value fails the payload", () => {
  const out = decodeTraces([[{ ...baseSpan, trace_id: 1, span_id: 1, resource: Buffer.from([0x80, 0x81]) }]]);
  assert.match(out.traceback ?? "", /Error decoding \[\]\[\]/);
  assert.equal(out.raw_content?.startsWith("b'\\x91\\x91"), true);
});

test("v0.4 from a buddy: ids converted, nested JSON left as text (the reference expands it for library only)", () => {
  const span = firstSpan(decodeTraces([[{ ...baseSpan, trace_id: -1n, span_id: 1, meta: { "_dd.appsec.json": "{}" } }]], "/v0.4/traces", "python_buddy"));
  assert.equal(span.trace_id, TWO_64 - 1n);
  assert.deepEqual(span.meta, { "_dd.appsec.json": "{}" });
});

test("v0.4: NaN and infinite metrics survive", () => {
  const span = firstSpan(decodeTraces([[{ ...baseSpan, trace_id: 1, span_id: 1, metrics: { nan: NaN, inf: -Infinity } }]]));
  const metrics = span.metrics as Record<string, number>;
  assert.ok(Number.isNaN(metrics.nan));
  assert.equal(metrics.inf, -Infinity);
});

test("v0.4: a payload that is not a list of lists of spans fails where Python fails", () => {
  assert.match(decodeTraces(5).traceback ?? "", /not iterable/);
  assert.match(decodeTraces([[7]]).traceback ?? "", /not iterable/);
  assert.match(decodeTraces([["trace_id"]]).traceback ?? "", /list indices/);
  assert.deepEqual(content(decodeTraces([])), []);
  assert.deepEqual(content(decodeTraces([[]])), [[]]);
});

test("v0.5: the string table is expanded into v0.4 spans, zero parent_id and duration become null", () => {
  const strings = ["", "svc", "op", "GET /", "web", "env", "prod", "_dd.appsec.json", '{"triggers": []}', "_sampling_priority_v1"];
  const root = [1, 2, 3, 42, 7, 0, 1000, 0, 0, { 5: 6, 7: 8 }, { 9: 1.5 }, 4];
  const child = [1, 2, 3, -1n, 8, 7, 1001, 100, 1, { 5: 6 }, {}, 4];
  assert.deepEqual(content(decodeTraces([strings, [[root, child]]], "/v0.5/traces")), [
    [
      {
        service: "svc",
        name: "op",
        resource: "GET /",
        trace_id: 42,
        span_id: 7,
        parent_id: null,
        start: 1000,
        duration: null,
        error: 0,
        meta: { env: "prod", "_dd.appsec.json": { triggers: [] } },
        metrics: { _sampling_priority_v1: 1.5 },
        type: "web",
      },
      {
        service: "svc",
        name: "op",
        resource: "GET /",
        trace_id: TWO_64 - 1n,
        span_id: 8,
        parent_id: 7,
        start: 1001,
        duration: 100,
        error: 1,
        meta: { env: "prod" },
        metrics: {},
        type: "web",
      },
    ],
  ]);
});

test("v0.5: a string index out of the table fails; a negative one counts from the end, as in Python", () => {
  const strings = ["", "svc", "last"];
  assert.match(decodeTraces([strings, [[[9, 1, 1, 1, 1, 0, 0, 0, 0, {}, {}, 1]]]], "/v0.5/traces").traceback ?? "", /IndexError/);
  const span = firstSpan(decodeTraces([strings, [[[-1, 1, 1, 1, 1, 0, 0, 0, 0, {}, {}, 1]]]], "/v0.5/traces"));
  assert.equal(span.service, "last");
});

test("v0.5: a __proto__ meta key from the string table is an own key", () => {
  const span = firstSpan(decodeTraces([["", "__proto__", "v"], [[[0, 0, 0, 1, 1, 0, 0, 0, 0, { 1: 2 }, {}, 0]]]], "/v0.5/traces"));
  assert.deepEqual(Object.keys(span.meta as object), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(span.meta), Object.prototype);
});

test("/v0.6/stats is msgpack whatever its content type; other paths only with a msgpack type", () => {
  assert.deepEqual(content(decodeTraces({ Stats: [{ Hits: 3 }] }, "/v0.6/stats", "library", "application/octet-stream")), { Stats: [{ Hits: 3 }] });
  assert.deepEqual(content(decodeTraces([1], "/anything", "agent", "application/msgpack, application/msgpack")), [1]);
  // with a parameter the type is not one the reference recognizes: the bytes are kept as repr
  assert.equal(content(decodeTraces(Buffer.from([0x91, 0x01]), "/v0.4/traces", "library", "application/msgpack; charset=utf-8")), "b'\\x91\\x01'");
});
