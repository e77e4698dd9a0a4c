/**
 * Python's json.loads, as the reference applies it to bodies and to JSON nested in payloads:
 * bytes are decoded by the encoding json.detect_encoding finds (UTF-8 strictly: invalid bytes
 * are an error, not U+FFFD), integers stay exact, and the NaN / Infinity / -Infinity tokens
 * Python writes by default are accepted.
 */
import { parseJson } from "../json/parse.js";
import { MAX_DECODED_VALUES, TooManyValuesError } from "./limits.js";
import { isJsonObject, type Json } from "../json/value.js";
import { PayloadError } from "../errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });
const utf16be = new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true });

/** Python's UnicodeDecodeError: the bytes are not text in the encoding detected. */
export class JsonTextError extends PayloadError {
  readonly code: string = "PAYLOAD_NOT_TEXT";
  override name = "UnicodeDecodeError";
}

/** Throws JsonTextError when bytes are not text, SyntaxError when the text is not JSON. */
export function loadsJson(input: string | Uint8Array): Json {
  if (typeof input === "string") {
    if (input.charCodeAt(0) === 0xfeff) throw new SyntaxError("Unexpected UTF-8 BOM (decode using utf-8-sig)");
    return parseText(input);
  }
  let text: string;
  try {
    text = decodeJsonBytes(input);
  } catch (error) {
    throw new JsonTextError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return parseText(text);
}

/** json.detect_encoding, then decoding (utf-32 is left out: no tracer sends it). */
function decodeJsonBytes(b: Uint8Array): string {
  const starts = (...bytes: number[]) => bytes.every((x, i) => b[i] === x);
  if (starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)) throw new Error("UTF-32 JSON is not supported");
  if (starts(0xfe, 0xff)) return utf16be.decode(b.subarray(2));
  if (starts(0xff, 0xfe)) return utf16le.decode(b.subarray(2));
  if (starts(0xef, 0xbb, 0xbf)) return utf8.decode(b.subarray(3));
  if (b.length >= 4) {
    if (!b[0]) {
      if (b[1]) return utf16be.decode(b);
      throw new Error("UTF-32 JSON is not supported");
    }
    if (!b[1]) {
      if (b[2] || b[3]) return utf16le.decode(b);
      throw new Error("UTF-32 JSON is not supported");
    }
  } else if (b.length === 2) {
    if (!b[0]) return utf16be.decode(b);
    if (!b[1]) return utf16le.decode(b);
  }
  return utf8.decode(b);
}

/**
 * Python's json module recurses once per nested array or object and gives up near its
 * recursion limit (1000); so does this, before parsing, so that no deeper value ever reaches
 * st-proxy's own recursive code (restoring numbers, writing the dump).
 */
export const MAX_JSON_DEPTH = 1000;

export class JsonRecursionError extends PayloadError {
  readonly code: string = "PAYLOAD_TOO_DEEP";
  override name = "RecursionError";
}

function checkDepth(text: string): void {
  // Deeper than the limit needs more brackets than the limit: count them first (native indexOf),
  // and scan (strings set aside) only the rare texts that have that many.
  let brackets = 0;
  for (let i = text.indexOf("["); i >= 0 && brackets <= MAX_JSON_DEPTH; i = text.indexOf("[", i + 1)) brackets++;
  for (let i = text.indexOf("{"); i >= 0 && brackets <= MAX_JSON_DEPTH; i = text.indexOf("{", i + 1)) brackets++;
  if (brackets <= MAX_JSON_DEPTH) return;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Past the string: the next quote not escaped.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw new JsonRecursionError(`maximum recursion depth exceeded while decoding a JSON ${c === 0x5b ? "array" : "object"} (more than ${MAX_JSON_DEPTH} levels of nesting)`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Values a JSON text holds, at least one per ",", "[" and "{" outside strings; counted only for large texts. */
function checkSize(text: string): void {
  if (text.length < MAX_DECODED_VALUES) return;
  let values = 0;
  for (const c of [",", "[", "{"]) for (let i = text.indexOf(c); i >= 0 && values <= MAX_DECODED_VALUES; i = text.indexOf(c, i + 1)) values++;
  // Separators inside strings count too: an overestimate only for texts of millions of characters.
  if (values > MAX_DECODED_VALUES) throw new TooManyValuesError("JSON");
}

function parseText(text: string): Json {
  checkDepth(text);
  checkSize(text);
  try {
    return parseJson(text);
  } catch (error) {
    // Only then pay for looking at Python's extra tokens.
    if (!/NaN|Infinity/.test(text)) throw error;
    return parseWithNonFinite(text);
  }
}

/**
 * Replaces the bare NaN / Infinity / -Infinity tokens (outside strings) with marker strings,
 * parses, then puts the numbers in place of the markers.
 */
function parseWithNonFinite(text: string): Json {
  const marker = `\u0000nonfinite-${Math.random().toString(36).slice(2)}:`;
  const tokens: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };
  const out: string[] = [];
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    for (const token of ["NaN", "Infinity", "-Infinity"]) {
      if (text.startsWith(token, i)) {
        out.push(text.slice(last, i), JSON.stringify(marker + token));
        i += token.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  out.push(text.slice(last));
  const restore = (v: Json): Json => {
    if (typeof v === "string") return v.startsWith(marker) ? tokens[v.slice(marker.length)] : v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i]);
    } else if (isJsonObject(v)) {
      for (const k of Object.keys(v)) v[k] = restore(v[k]);
    }
    return v;
  };
  return restore(parseJson(out.join("")));
}
