import type { Json } from "./value.js";

/**
 * Serializes like Python's `json.dump(value, f, indent=2)` (the reference proxy's writer):
 * ASCII-only output with `\uXXXX` escapes, `NaN`/`Infinity` tokens, floats in Python's repr
 * form, and bigints as exact digits. Tests read these files with Python's json module.
 */
export function writePythonJson(value: Json, indent = 2): string {
  const parts: string[] = [];
  emit(value, "", indent > 0 ? " ".repeat(indent) : "", parts);
  return parts.join("");
}

function emit(value: Json, pad: string, step: string, out: string[]): void {
  switch (typeof value) {
    case "string":
      out.push(quote(value));
      return;
    case "number":
      out.push(pythonNumber(value));
      return;
    case "bigint":
      out.push(value.toString());
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "undefined":
      out.push("null");
      return;
  }
  if (value === null) {
    out.push("null");
    return;
  }
  const inner = pad + step;
  const sep = step ? ",\n" + inner : ", ";
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[]");
      return;
    }
    out.push(step ? "[\n" + inner : "[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(sep);
      emit(value[i], inner, step, out);
    }
    out.push(step ? "\n" + pad + "]" : "]");
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    out.push("{}");
    return;
  }
  out.push(step ? "{\n" + inner : "{");
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(sep);
    out.push(quote(keys[i]), ": ");
    emit(value[keys[i]], inner, step, out);
  }
  out.push(step ? "\n" + pad + "}" : "}");
}

// JSON.stringify already escapes quotes, backslashes, control characters and lone surrogates
// the way Python does; Python's ensure_ascii additionally escapes everything outside " "..."~".
const NON_ASCII = /[\u007f-\uffff]/g;
const hex4 = (c: string) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");

export function quote(s: string): string {
  const q = JSON.stringify(s);
  return NON_ASCII.test(q) ? q.replace(NON_ASCII, hex4) : q;
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
