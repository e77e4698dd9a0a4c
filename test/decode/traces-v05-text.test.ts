// The v0.5 renderer (string table + spans as arrays, straight to dump text) must write exactly
// what the tree path writes (decodeTracesV05 + writePythonJson), or step aside (undefined): on
// the corpus's v0.5 bodies and on seeded random payloads that reach every field rule (zero
// parent_id / duration as null, negative ids, table lookups for meta and metrics) and every
// reason to step aside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { renderTraces } from "../../src/decode/traces-text.js";
import { decodeContentEncoding } from "../../src/decode/encoding.js";
import { renderedAsTree, rng, treeText } from "../helpers/render-compare.js";
import { packValue } from "../helpers/msgpack-writer.js";
import { CORPUS_CASES, SHARED_PRESENT } from "../helpers/shared.js";

const same = (body: Buffer, expandMeta: boolean, what: string, depth = 0) => renderedAsTree(body, expandMeta, what, depth, true);
const tree = (body: Buffer, expandMeta: boolean, depth: number) => treeText(body, expandMeta, depth, true);

if (!SHARED_PRESENT) {
  test("v0.5 renderer on the corpus: SKIPPED because ../shared/corpus is absent (a clone on its own)", { skip: true }, () => {});
} else {
  test("v0.5 renderer: the corpus's v0.5 trace bodies render as the tree path writes them", () => {
    let rendered = 0;
    let total = 0;
    let expectedAside = 0;
    for (const name of readdirSync(CORPUS_CASES).filter((n) => n.endsWith(".flow.json"))) {
      const flow = JSON.parse(readFileSync(join(CORPUS_CASES, name), "utf8"));
      if (flow.path.split("?")[0] !== "/v0.5/traces" || !flow.request.body_b64) continue;
      const encoding = flow.request.headers.find(([n]: [string]) => n.toLowerCase() === "content-encoding")?.[1];
      const body = decodeContentEncoding(Buffer.from(flow.request.body_b64, "base64"), encoding);
      total++;
      // AppSec JSON in the library's span meta is expanded by the tree path: those step aside.
      const expanded = flow.interface === "library" && body.includes("_dd.appsec.json");
      if (expanded) expectedAside++;
      for (const depth of [0, 2]) if (same(body, flow.interface === "library", name, depth) && depth === 0) rendered++;
    }
    assert.ok(total >= 2, `only ${total} v0.5 bodies in the corpus`);
    assert.equal(rendered, total - expectedAside, "every other corpus v0.5 body is an ordinary one and renders");
  });
}

const WORDS = ["", "web.request", "weblog", "GET /users", 'quote " and \\', "tab\tnew\nline", "é 日本 😀", "0", "42", "__proto__", "_dd.appsec.json", "_dd.appsec.s.req.body", "_dd.iast.json", "http.method", "x".repeat(40)];
const NUMBERS: unknown[] = [0, 1, 9, 200, -1, -33, 70000, 2 ** 31 - 1, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 63n), -5n, 0n, 1.5, 1e-5, 1e21, NaN, -Infinity, false, true, null, "text"];

function randomPayload(r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const strings: unknown[] = Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(WORDS));
  // Now and then an entry that is not a str (the tree path turns it into a key or a value its way).
  if (r() < 0.05) strings.push(pick([5, null, 1.5, true]));
  const index = (): unknown => (r() < 0.97 ? Math.floor(r() * strings.length) : pick([-1, strings.length, 1.5, "2", true, 2n]));
  const id = (): unknown => pick([0, 0n, 1n, 12345, -7, 2n ** 64n - 1n, BigInt.asUintN(64, BigInt(Math.floor(r() * 2 ** 52)) << 12n), -(2n ** 62n), false, 1.5]);
  const map = (value: () => unknown) => {
    const m = new Map<unknown, unknown>();
    const n = Math.floor(r() * (r() < 0.1 ? 24 : 5));
    for (let i = 0; i < n; i++) m.set(index(), value());
    return m;
  };
  const span = (): unknown => {
    const fields: unknown[] = [index(), index(), index(), id(), id(), r() < 0.4 ? pick([0, 0n, false]) : id(), pick(NUMBERS), r() < 0.3 ? pick([0, 0n, false]) : pick(NUMBERS), pick([0, 1, 1n, null]), r() < 0.95 ? map(index) : "meta", r() < 0.95 ? map(() => pick(NUMBERS)) : [], index()];
    if (r() < 0.03) fields.pop();
    if (r() < 0.03) fields.push(1);
    return fields;
  };
  const traces = Array.from({ length: Math.floor(r() * 3) }, () => Array.from({ length: Math.floor(r() * 4) }, span));
  return r() < 0.02 ? [strings, traces, 1] : [strings, traces];
}

test("v0.5 renderer: 3,000 seeded random payloads render as the tree path writes them, or step aside", () => {
  let rendered = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const body = packValue(randomPayload(rng(seed)));
    for (const expandMeta of [true, false]) if (same(body, expandMeta, `seed ${seed}, expandMeta ${expandMeta}`, seed % 3)) rendered++;
  }
  // The generator is meant to reach the fast path often, not only its exits.
  assert.ok(rendered > 1200, `only ${rendered} of 6000 rendered`);
});

test("v0.5 renderer: zero parent_id and duration are null in every encoding (int, uint64, false, float)", () => {
  const payload = (parent: unknown, duration: unknown) => packValue([["svc", "op"], [[[0, 1, 1, 10n, 11n, parent, 100, duration, 0, new Map([[0, 1]]), new Map(), 1]]]]);
  for (const zero of [0, 0n, false]) assert.ok(same(payload(zero, zero), true, `zero ${String(zero)}`));
  // A float64 zero: written as 0.5, then its eight bytes cleared.
  const body = payload(5n, 0.5);
  const half = Buffer.alloc(8);
  half.writeDoubleBE(0.5);
  const at = body.indexOf(Buffer.concat([Buffer.from([0xcb]), half]));
  body.fill(0, at + 1, at + 9);
  assert.ok(same(body, true, "float zero duration"));
  assert.match(renderTraces(body, { expandMeta: true, depth: 0, v05: true })!.toString(), /"duration": null/);
});

test("v0.5 renderer: a span of other than 12 fields steps aside, even when the bytes after it would complete one", () => {
  const fields = [0, 1, 1, 10n, 11n, 0, 100, 5, 0, new Map([[0, 1]]), new Map()];
  const span11 = packValue(fields);
  const span12 = packValue([...fields, 1]);
  const table = packValue(["svc", "op"]);
  // [["svc", "op"], [[span11, 0]]] followed by span12: read without counting fields, the 0 would be
  // span11's twelfth and span12 the trace's second span, leaving no byte over.
  const body = Buffer.concat([Buffer.from([0x92]), table, Buffer.from([0x91, 0x92]), span11, Buffer.from([0x00]), span12]);
  assert.ok(tree(body, true, 0) instanceof Error, "the tree path refuses it");
  assert.equal(renderTraces(body, { expandMeta: true, depth: 0, v05: true }), undefined);
  assert.equal(renderTraces(packValue([["svc", "op"], [[[...fields, 1, 1]]]]), { expandMeta: true, depth: 0, v05: true }), undefined, "13 fields");
});
