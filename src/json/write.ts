import { PyFloat, RawJson, type Json } from "./value.js";

/**
 * Serializes like Python's `json.dump(value, f, indent=2)` (the reference proxy's writer):
 * ASCII-only output with `\uXXXX` escapes, `NaN`/`Infinity` tokens, floats in Python's repr
 * form, and bigints as exact digits. Tests read these files with Python's json module.
 */
export function writePythonJson(value: Json, indent = 2): string {
  // Python's compact form has ", " and ": " separators, which JSON.stringify cannot write.
  if (indent <= 0) {
    const out: string[] = [];
    emitCompact(value, out);
    return out.join("");
  }
  const raws: Buffer[] = [];
  const text = writeMarked(value, indent, raws);
  return raws.length === 0 ? text : text.replace(RAW_MARKED, (_, i: string) => raws[Number(i)].toString("latin1"));
}

/**
 * writePythonJson(value, 2) as bytes, with RawJson values copied in without ever becoming
 * JavaScript strings (the dump writer's form: a large pre-rendered trace payload stays a Buffer).
 * Throws RangeError when the value is nested too deeply for the stack.
 */
export function writePythonJsonBytes(value: Json): Buffer {
  const parts = writePythonJsonParts(value);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * writePythonJsonBytes as the pieces that make it up, in order: the RawJson buffers themselves
 * between the text around them (for a vectored write, with no copy of a large rendered payload).
 */
export function writePythonJsonParts(value: Json): Buffer[] {
  const raws: Buffer[] = [];
  const text = writeMarked(value, 2, raws);
  if (raws.length === 0) return [Buffer.from(text, "latin1")];
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(RAW_MARKED)) {
    parts.push(Buffer.from(text.slice(last, m.index), "latin1"), raws[Number(m[1])]);
    last = m.index! + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last), "latin1"));
  return parts;
}

/** The indented text, ASCII only, with each RawJson left as a mark naming its index in `raws`. */
function writeMarked(value: Json, indent: number, raws: Buffer[]): string {
  // V8's native JSON.stringify does the walking (several times faster than a JS walker); the
  // replacer only marks what it cannot print as Python does (bigints, non-finite numbers,
  // floats Python writes in exponent form), and those marks are swapped for raw tokens after.
  let marked = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "number") {
        if (Number.isFinite(v) && (Number.isInteger(v) ? Math.abs(v) < 1e16 : Math.abs(v) >= 1e-4)) return v;
        marked = true;
        return MARK + pythonNumber(v);
      }
      if (typeof v === "bigint") {
        marked = true;
        return MARK + v.toString();
      }
      if (v instanceof PyFloat) {
        marked = true;
        return MARK + pythonFloatRepr(v.value);
      }
      if (v instanceof RawJson) {
        raws.push(v.text);
        return RAW_MARK + (raws.length - 1);
      }
      return v;
    },
    indent,
  ) ?? "null";
  const raw = marked ? text.replace(MARKED, "$1") : text;
  return HAS_NON_ASCII.test(raw) ? raw.replace(NON_ASCII, hex4) : raw;
}

// A string no payload carries (a control character and a per-process random tag); JSON.stringify
// writes the control character as \u0001, which is what MARKED looks for.
const MARK = `\u0001st${Math.random().toString(36).slice(2, 10)}:`;
const MARKED = new RegExp(`"\\\\u0001${MARK.slice(1)}([^"]*)"`, "g");
const RAW_MARK = `\u0002st${Math.random().toString(36).slice(2, 10)}:`;
const RAW_MARKED = new RegExp(`"\\\\u0002${RAW_MARK.slice(1)}(\\d+)"`, "g");

/** json.dumps(value) without indent: small bodies (mocked answers), so a plain walker will do. */
function emitCompact(value: Json, out: string[]): void {
  if (typeof value === "string") out.push(quote(value));
  else if (typeof value === "number") out.push(pythonNumber(value));
  else if (typeof value === "bigint") out.push(value.toString());
  else if (value instanceof PyFloat) out.push(pythonFloatRepr(value.value));
  else if (value instanceof RawJson) throw new TypeError("pre-rendered JSON text has no compact form");
  else if (typeof value === "boolean") out.push(value ? "true" : "false");
  else if (value === null || value === undefined) out.push("null");
  else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i > 0) out.push(", ");
      emitCompact(item, out);
    });
    out.push("]");
  } else {
    out.push("{");
    Object.keys(value).forEach((key, i) => {
      if (i > 0) out.push(", ");
      out.push(quote(key), ": ");
      emitCompact(value[key], out);
    });
    out.push("}");
  }
}

// JSON.stringify already escapes quotes, backslashes, control characters and lone surrogates
// the way Python does; Python's ensure_ascii additionally escapes everything outside " "..."~".
const NON_ASCII = /[\u007f-\uffff]/g;
// Tested with a regex of its own: test() on a global regex would carry lastIndex over.
const HAS_NON_ASCII = /[\u007f-\uffff]/;
const hex4 = (c: string) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");

function quote(s: string): string {
  const q = JSON.stringify(s);
  return HAS_NON_ASCII.test(q) ? q.replace(NON_ASCII, hex4) : q;
}

/** Python's repr() of a float: whole values keep ".0" (or take the exponent form from 1e16). */
export function pythonFloatRepr(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return (Object.is(n, -0) ? "-0" : String(n)) + ".0";
  return pythonNumber(n);
}

/** A JavaScript number written as Python writes the same int or float. */
export function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  // Integers beyond 2^53 arrive as bigint, so an integral number this small was an int.
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Python's repr switches to exponent form below 1e-4 and from 1e16 on; JavaScript
  // uses other bounds, but both print the shortest digits that round-trip.
  const [mantissa, exp] = n.toExponential().split("e");
  const e = Number(exp);
  if (e >= -4 && e < 16) return String(n);
  const sign = e < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, "0")}`;
}
