// The v0.4 renderer (msgpack straight to dump text) must write exactly what the tree path
// writes (decodeTracesV04 + writePythonJson), or step aside (undefined). The tree path is the
// one the corpus pins to the reference; this compares the two on the corpus's v0.4 bodies and
// on seeded random payloads that reach every msgpack type and every reason to step aside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { renderTraces, TracesRenderer } from "../../src/decode/traces-text.js";
import { OutputScratch } from "../../src/decode/output-scratch.js";
import { decodeContentEncoding } from "../../src/decode/encoding.js";
import { renderedAsTree as same, rng, treeText as tree } from "../helpers/render-compare.js";
import { packValue } from "../helpers/msgpack-writer.js";
import { CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";

if (!SHARED_PRESENT) {
  test("v0.4 renderer on the corpus: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  test("v0.4 renderer: the corpus's v0.4 trace bodies render as the tree path writes them, or step aside", () => {
    let rendered = 0;
    let total = 0;
    for (const name of readdirSync(CORPUS_CASES).filter((n) => n.endsWith(".flow.json"))) {
      const flow = JSON.parse(readFileSync(join(CORPUS_CASES, name), "utf8"));
      if (flow.path.split("?")[0] !== "/v0.4/traces" || !flow.request.body_b64) continue;
      const type = flow.request.headers.find(([n]: [string]) => n.toLowerCase() === "content-type")?.[1] ?? "";
      if (!type.includes("msgpack")) continue;
      const encoding = flow.request.headers.find(([n]: [string]) => n.toLowerCase() === "content-encoding")?.[1];
      let body: Buffer;
      try {
        body = decodeContentEncoding(Buffer.from(flow.request.body_b64, "base64"), encoding);
      } catch {
        continue;
      }
      total++;
      for (const depth of [0, 2]) if (same(body, flow.interface === "library", name, depth) && depth === 0) rendered++;
    }
    assert.ok(total >= 8, `only ${total} v0.4 bodies in the corpus`);
    // The corpus is mostly edge cases (AppSec/IAST meta, bytes, truncation), which step aside;
    // the ordinary payloads among them take the fast path.
    assert.ok(rendered >= total / 3, `rendered ${rendered} of ${total}`);
  });
}

const STRINGS = ["", "web.request", 'quote " and \\ backslash', "tab\tnew\nline\r\u0001", "del\u007f", "nul\u0000", "é ü 日本 😀", "<img src=x onerror=alert(1)>", "x".repeat(40), "0", "42", "007", "__proto__", "_dd.appsec.json", "_dd.appsec.s.req.headers", "meta", "metaStruct"];
const NUMBERS: unknown[] = [0, 1, 9, 10, 127, 128, -1, -32, -33, 255, 65535, 65536, -129, -70000, 2 ** 31 - 1, -(2 ** 31), 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 63n), -5n, 1.5, -0.25, 1e-5, 1e16, 1e300, 0.1, NaN, Infinity, -Infinity, -0, 2.0, 1e21];

function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (k < 0.3) return STRINGS[Math.floor(r() * STRINGS.length)];
  if (k < 0.6) return NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (k < 0.65) return r() < 0.5 ? null : r() < 0.5;
  if (k < 0.67) return Buffer.from([0xc3, 0x28]); // bin
  if (depth > 3) return "leaf";
  if (k < 0.8) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  return randomMap(r, depth + 1);
}

function randomMap(r: () => number, depth: number): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>();
  const n = Math.floor(r() * (r() < 0.1 ? 20 : 5));
  for (let i = 0; i < n; i++) m.set(r() < 0.85 ? `k${Math.floor(r() * 30)}` : STRINGS[Math.floor(r() * STRINGS.length)], randomValue(r, depth));
  return m;
}

function randomSpan(r: () => number): Map<unknown, unknown> {
  const span = new Map<unknown, unknown>([
    ["trace_id", NUMBERS[Math.floor(r() * NUMBERS.length)]],
    ["span_id", r() < 0.5 ? BigInt.asUintN(64, BigInt(Math.floor(r() * 2 ** 52)) << 12n) : -Math.floor(r() * 1000)],
    ["parent_id", r() < 0.5 ? 0 : -(2n ** 62n)],
    ["name", STRINGS[Math.floor(r() * STRINGS.length)]],
    ["meta", r() < 0.9 ? randomMap(r, 3) : randomValue(r, 3)],
    ["metrics", new Map([["_sampling_priority_v1", 1], ["_dd.top_level", 1.0], ["x", r()]])],
  ]);
  if (r() < 0.2) span.set(STRINGS[Math.floor(r() * STRINGS.length)], randomValue(r, 2));
  return span;
}

test("v0.4 renderer: 3,000 seeded random payloads render as the tree path writes them, or step aside", () => {
  let rendered = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const r = rng(seed);
    const traces = Array.from({ length: Math.floor(r() * 3) }, () => Array.from({ length: Math.floor(r() * 4) }, () => randomSpan(r)));
    for (const expandMeta of [true, false]) if (same(packValue(traces), expandMeta, `seed ${seed}, expandMeta ${expandMeta}`, seed % 3)) rendered++;
  }
  // The generator is meant to reach the fast path most of the time, not only its exits.
  assert.ok(rendered > 1500, `only ${rendered} of 6000 rendered`);
});

test("v0.4 renderer: one scratch reused across payloads of every size writes what a fresh buffer does", () => {
  const scratch = new OutputScratch();
  let reused = 0;
  let rendered = 0;
  let previous: Buffer | undefined;
  for (let seed = 1; seed <= 400; seed++) {
    const r = rng(seed);
    // Sizes up and down, so that the scratch is sometimes too small and grows.
    const traces = Array.from({ length: 1 + (seed % 7) }, () => Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomSpan(r)));
    const body = packValue(traces);
    const fresh = renderTraces(body, { expandMeta: true, depth: 2 });
    const viaScratch = renderTraces(body, { expandMeta: true, depth: 2 }, scratch);
    assert.deepEqual(viaScratch, fresh, `seed ${seed}`);
    if (!viaScratch) continue;
    rendered++;
    // Reused: the text views the same memory as the previous one (the renderer's, not a new one).
    if (previous && viaScratch.buffer === previous.buffer) reused++;
    previous = viaScratch;
  }
  assert.ok(rendered > 20 && reused > rendered / 2, `the scratch was reused ${reused} times in ${rendered} renders`);
  // The scratch's renderer keeps its memory for good, within the scratch's limit: a body that
  // needs more steps aside (the tree path takes it) and leaves the memory as it was.
  const scratchSize = scratch.renderer!.size;
  const big = packValue([[new Map([["name", "x".repeat(scratchSize)]])]]);
  const limited = new OutputScratch(scratchSize);
  assert.ok(renderTraces(packValue([[new Map([["name", "web.request"]])]]), { expandMeta: true, depth: 2 }, limited), "a body within the limit");
  assert.equal(renderTraces(big, { expandMeta: true, depth: 2 }, limited), undefined, "a body past the limit");
  assert.ok(limited.renderer!.size <= scratchSize, `memory ${limited.renderer!.size} past the limit ${scratchSize}`);
  assert.ok(renderTraces(big, { expandMeta: true, depth: 2 }, new OutputScratch()), "the same body, within the default limit");
});

test("v0.4 renderer: steps aside for what only the tree path knows", () => {
  const span = (entries: [unknown, unknown][]) => packValue([[new Map(entries)]]);
  const cases: [string, Buffer][] = [
    ["a bin value", span([["meta", new Map([["k", Buffer.from("x")]])]])],
    ["an int key", span([[1, "x"]])],
    ["an integer-like str key (a JS object reorders it)", span([["name", "a"], ["42", "b"]])],
    // A Map cannot hold a key twice: written by hand ([[{"name": "a", "name": "b"}]]).
    ["a repeated key", Buffer.from([0x91, 0x91, 0x82, 0xa4, ...Buffer.from("name"), 0xa1, 0x61, 0xa4, ...Buffer.from("name"), 0xa1, 0x62])],
    ["AppSec JSON in meta", span([["meta", new Map([["_dd.appsec.json", "{}"]])]])],
    ["an _dd.appsec.s.* value", span([["meta", new Map([["_dd.appsec.s.req.body", "{}"]])]])],
    ["metaStruct", span([["metaStruct", new Map()]])],
    ["meta that is not a map", span([["meta", "text"]])],
    ["a span that is not a map", packValue([["text"]])],
    ["trailing bytes", Buffer.concat([packValue([[]]), Buffer.from([0xc0])])],
    ["a truncated body", packValue([[new Map([["name", "web.request"]])]]).subarray(0, 10)],
  ];
  for (const [what, body] of cases) assert.equal(renderTraces(body, { expandMeta: true, depth: 0 }), undefined, what);
  // The same shapes without those features do render.
  assert.ok(renderTraces(span([["name", "a"], ["meta", new Map([["k", "v"]])]]), { expandMeta: true, depth: 0 }));
  // Buddies' meta is never expanded: AppSec keys there stay on the fast path.
  assert.ok(renderTraces(span([["meta", new Map([["_dd.appsec.json", "{}"]])]]), { expandMeta: false, depth: 0 }));
});

test("v0.4 renderer: every unsigned 64-bit span id is written with the digits BigInt gives", () => {
  const r = rng(7);
  const ids: bigint[] = [0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 10n ** 16n, 10n ** 19n, 2n ** 64n - 1n, 0x1000000000000n, 0x100000000n * 10000n];
  for (let i = 0; i < 2000; i++) ids.push(BigInt.asUintN(64, (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32))));
  for (const id of ids) {
    const text = renderTraces(packValue([[new Map([["span_id", id]])]]), { expandMeta: false, depth: 0 })!.toString();
    assert.equal(/"span_id": (\d+)/.exec(text)?.[1], id.toString(), `0x${id.toString(16)}`);
  }
});

test("v0.4 renderer: maps of more than 16 keys find a repeated key by hashing, and render when there is none", () => {
  const keys = Array.from({ length: 40 }, (_, i) => `tag.${String(i).padStart(2, "0")}.${"x".repeat(i % 7)}`);
  const distinct = packValue([[new Map<string, unknown>([["name", "a"], ["meta", new Map(keys.map((k) => [k, k.toUpperCase()]))]])]]);
  assert.ok(same(distinct, true, "40 distinct meta keys"));
  // The same map with its 40th key made equal to the 33rd: a Map cannot hold that, so the bytes
  // are patched (same length, so the msgpack stays well-formed).
  assert.equal(keys[39].length, keys[32].length);
  const repeated = Buffer.from(distinct);
  Buffer.from(keys[32]).copy(repeated, repeated.lastIndexOf(Buffer.from(keys[39])));
  assert.equal(renderTraces(repeated, { expandMeta: true, depth: 0 }), undefined, "a repeated key among 40");
});

test("v0.4 renderer: text longer than its first room (escapes: six characters a byte) is rendered whole", () => {
  for (const text of ["\u0001".repeat(5000), "日本".repeat(3000), "\"\\".repeat(4000) + "end"]) {
    const body = packValue([[new Map<string, unknown>([["name", "x"], ["meta", new Map([["k", text], [text, "v"]])]])]]);
    assert.ok(same(body, true, `${text.slice(0, 4)}… (${text.length})`, 2));
  }
});

test("v0.4 renderer: when its memory cannot grow to the text's size, it steps aside for the tree path", () => {
  // 5,000 control characters: 30 KB of escapes, from a 5 KB body.
  const body = packValue([[new Map([["name", "\u0001".repeat(5000)]])]]);
  const bounded = new TracesRenderer(256 * 1024);
  const text = bounded.render(body, { expandMeta: true, depth: 0 });
  assert.equal(text?.toString("latin1"), tree(body, true, 0), "within its limit");
  const tight = new TracesRenderer(bounded.size);
  assert.equal(tight.render(packValue([[new Map([["name", "\u0001".repeat(50_000)]])]]), { expandMeta: true, depth: 0 }), undefined);
  assert.ok(tight.size <= bounded.size, "grew past its limit");
});
