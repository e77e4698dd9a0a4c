// Reads the corpus's agent / OTLP exchanges in place (../shared), for the protobuf decoder
// tests: bodies are decompressed here, as the dispatch will do before calling the decoders.
import { PyFloat } from "../../../src/json/value.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, inflateSync } from "node:zlib";
import { decompress as zstd } from "fzstd";
import { isLosslessNumber, parse as losslessParse } from "lossless-json";
import { CORPUS_CASES } from "../../helpers/shared.js";

export interface FlowSide {
  headers: [string, string][];
  body_b64: string;
  status_code?: number;
}
export interface Flow {
  interface: string;
  method: string;
  path: string;
  request: FlowSide;
  response: FlowSide | null;
}

/** Case names (file names without .flow.json) whose flow matches. */
export function caseNames(keep: (flow: Flow) => boolean): string[] {
  return readdirSync(CORPUS_CASES)
    .filter((f) => f.endsWith(".flow.json"))
    .map((f) => f.slice(0, -".flow.json".length))
    .filter((name) => keep(readFlow(name)))
    .sort();
}

export function readFlow(name: string): Flow {
  return JSON.parse(readFileSync(join(CORPUS_CASES, `${name}.flow.json`), "utf8")) as Flow;
}

/** The expected dump, numbers kept as their text (LosslessNumber). */
export function readExpected(name: string): any {
  return losslessParse(readFileSync(join(CORPUS_CASES, `${name}.expected.json`), "utf8"));
}

export function header(side: FlowSide, name: string): string | undefined {
  const values = side.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return values.length > 0 ? values.join(", ") : undefined;
}

/** The body with its Content-Encoding undone. */
export function body(side: FlowSide): Buffer {
  const raw = Buffer.from(side.body_b64, "base64");
  const encoding = header(side, "content-encoding");
  if (raw.length === 0 || encoding === undefined || encoding === "identity") return raw;
  if (encoding === "gzip") return gunzipSync(raw);
  if (encoding === "deflate") return inflateSync(raw);
  if (encoding === "zstd") return Buffer.from(zstd(raw));
  throw new Error(`unexpected content-encoding ${encoding}`);
}

/**
 * Differences between an expected value (from readExpected) and a decoded one, by the corpus's
 * rules (key order is free, integers exact, NaN equals NaN), and stricter on one point: an int
 * stays an int and a float a float, as Python types them (1.0 must come back as a PyFloat).
 */
export function differences(expected: unknown, actual: unknown, path = "$", out: string[] = []): string[] {
  if (out.length > 10) return out;
  if (isLosslessNumber(expected)) {
    const text = expected.value;
    const float = actual instanceof PyFloat ? actual.value : typeof actual === "number" && !Number.isInteger(actual) ? actual : undefined;
    const same =
      /^-?\d+$/.test(text)
        ? (typeof actual === "bigint" || (typeof actual === "number" && Number.isInteger(actual))) && BigInt(text) === BigInt(actual)
        : float !== undefined && (Object.is(Number(text), float) || (Number.isNaN(Number(text)) && Number.isNaN(float)));
    if (!same) out.push(`${path}: expected ${text}, got ${String(actual)}`);
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [...out, `${path}: expected a list, got ${JSON.stringify(show(actual))}`];
    if (expected.length !== actual.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) differences(expected[i], actual[i], `${path}[${i}]`, out);
    return out;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [...out, `${path}: expected an object, got ${JSON.stringify(show(actual))}`];
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!Object.prototype.hasOwnProperty.call(a, k)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(e, k)) out.push(`${path}.${k}: unexpected`);
    for (const k of Object.keys(e)) if (Object.prototype.hasOwnProperty.call(a, k)) differences(e[k], a[k], `${path}.${k}`, out);
    return out;
  }
  if (expected !== actual) out.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(show(actual))}`);
  return out;
}

function show(v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v instanceof PyFloat ? `${v.value} (float)` : v;
}
