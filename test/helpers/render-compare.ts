// The trace renderer against the tree path it must equal (decode, then writePythonJson), for the
// renderer's differential tests.
import assert from "node:assert/strict";
import { renderTraces } from "../../src/decode/traces-text.js";
import { decodeTracesV04, decodeTracesV05 } from "../../src/decode/traces-msgpack.js";
import { writePythonJson } from "../../src/json/write.js";

/** The tree path's text of a v0.4 (or v0.5) body at `depth`, or its error. */
export function treeText(body: Buffer, expandMeta: boolean, depth: number, v05 = false): string | Error {
  try {
    const text = writePythonJson((v05 ? decodeTracesV05 : decodeTracesV04)(body, { expandMeta }));
    return depth === 0 ? text : text.replace(/\n/g, "\n" + "  ".repeat(depth));
  } catch (error) {
    return error as Error;
  }
}

/** Renders, and checks against the tree path; true when the renderer took the payload. */
export function renderedAsTree(body: Buffer, expandMeta: boolean, what: string, depth = 0, v05 = false): boolean {
  const rendered = renderTraces(body, { expandMeta, depth, v05 });
  if (rendered === undefined) return false;
  const expected = treeText(body, expandMeta, depth, v05);
  assert.ok(!(expected instanceof Error), `${what}: rendered a payload the tree path refuses (${expected})`);
  assert.equal(rendered.toString("latin1"), expected, what);
  return true;
}

/** A seeded generator (mulberry32), so that a failure names a case that can be run again. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
