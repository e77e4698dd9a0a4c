import { PyFloat, type Json } from "./value.js";

/**
 * Parses JSON as Python's json.loads does, where JSON.parse alone would not:
 * - integers stay exact: one that does not fit a double becomes a bigint;
 * - a float token holding a whole number (1.0, -0.0, 1e3) stays a float: a PyFloat;
 * - duplicate keys are allowed, the last one wins (as in JSON.parse).
 * Throws a SyntaxError on invalid input. (Python's NaN / Infinity tokens are handled by the
 * caller, src/decode/python-json.ts.)
 *
 * How: V8's JSON.parse does the parsing. Only when the text may hold such numbers (a cheap
 * test) is it scanned first, outside strings, and those number tokens are swapped for marker
 * strings, which are swapped back for the exact values once parsed.
 */
export function parseJson(text: string): Json {
  if (!MAYBE_SPECIAL.test(text)) return JSON.parse(text) as Json;
  const special: (bigint | PyFloat)[] = [];
  const marked = markSpecialNumbers(text, special);
  const value = JSON.parse(marked) as Json;
  return special.length === 0 ? value : restore(value, special);
}

// 16+ digits (maybe beyond 2^53), ".0" (maybe a whole float), or an exponent.
const MAYBE_SPECIAL = /\d{16}|\d\.0|\d[eE]/;
// A JSON number token, read where one starts.
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const MARK = `\u0000stnum${Math.random().toString(36).slice(2, 8)}:`;

function markSpecialNumbers(text: string, special: (bigint | PyFloat)[]): string {
  const out: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = endOfString(text, i);
      continue;
    }
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    // Not a number JSON accepts (e.g. "01"): leave it to JSON.parse to refuse.
    if (!m || isDigit(text.charCodeAt(NUMBER.lastIndex))) {
      i++;
      continue;
    }
    const token = m[0];
    let exact: bigint | PyFloat | undefined;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(token);
      if (!Number.isSafeInteger(n)) exact = BigInt(token);
    } else {
      const n = Number(token);
      if (Number.isInteger(n)) exact = new PyFloat(n);
    }
    if (exact !== undefined) {
      out.push(text.slice(copied, i), JSON.stringify(MARK + special.length));
      special.push(exact);
      copied = i + token.length;
    }
    i += token.length;
  }
  out.push(text.slice(copied));
  return out.join("");
}

/** Index just past the string starting at `start` (a double quote); its end if unterminated. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let j = q - 1; j > start && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function restore(v: Json, special: (bigint | PyFloat)[]): Json {
  if (typeof v === "string") return v.startsWith(MARK) ? special[Number(v.slice(MARK.length))] : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restore(v[i], special);
  } else if (v !== null && typeof v === "object" && !(v instanceof PyFloat)) {
    for (const k of Object.keys(v)) {
      // A marked number where a key belongs was no string to begin with: `{1.0: 2}` is not JSON.
      if (k.startsWith(MARK)) throw new SyntaxError("expected a double-quoted property name, found a number");
      v[k] = restore(v[k], special);
    }
  }
  return v;
}
