import { parse as losslessParse, isSafeNumber } from "lossless-json";
import type { Json } from "./value.js";

// A run of 16+ digits may be an integer beyond 2^53; only then is the slower exact parser needed.
const LONG_DIGITS = /\d{16}/;

/**
 * Parses JSON keeping integers exact, as Python's json.loads does: bigint when they do not
 * fit a double. Throws on invalid input. (Python's extra NaN / Infinity tokens are not accepted.)
 */
export function parseJson(text: string): Json {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text) as Json;
  return losslessParse(text, null, parseNumber) as Json;
}

function parseNumber(text: string): number | bigint {
  if (/^-?\d+$/.test(text) && !isSafeNumber(text)) return BigInt(text);
  return Number(text);
}
