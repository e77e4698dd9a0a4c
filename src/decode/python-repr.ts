import { pythonFloatRepr } from "../json/write.js";

/**
 * Python's repr() of a bytes object (also what str(bytes) gives): the reference writes every
 * bytes value left in a decoded payload, and every undecodable body, this way.
 *
 * Python's rules: single quotes, unless the bytes contain a single quote and no double quote;
 * the chosen quote and the backslash are escaped; \t, \n, \r by name; other bytes below 0x20
 * or from 0x7f as \xhh (lowercase); everything else as the ASCII character.
 */
export function bytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? 0x22 : 0x27;
  const q = String.fromCharCode(quote);
  const parts: string[] = ["b", q];
  // Runs of printable bytes are copied in one piece; only the bytes to escape are handled one by one.
  let runStart = 0;
  const flush = (end: number) => {
    if (end > runStart) parts.push(Buffer.from(bytes.buffer, bytes.byteOffset + runStart, end - runStart).toString("latin1"));
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x20 && b < 0x7f && b !== quote && b !== 0x5c) continue;
    flush(i);
    runStart = i + 1;
    if (b === quote || b === 0x5c) parts.push("\\", String.fromCharCode(b));
    else if (b === 0x09) parts.push("\\t");
    else if (b === 0x0a) parts.push("\\n");
    else if (b === 0x0d) parts.push("\\r");
    else parts.push(b < 0x10 ? "\\x0" : "\\x", b.toString(16));
  }
  flush(bytes.length);
  parts.push(q);
  return parts.join("");
}

/** The repr of a float as Python prints it as a dict key in json.dump (float.__repr__). */
export function floatKeyRepr(n: number): string {
  return pythonFloatRepr(n);
}

/**
 * JSON.stringify(bytesRepr(bytes)) + `note`, written straight into bytes: an undecodable body
 * of a megabyte would otherwise become a 4 MB repr string and a 5 MB escaped copy of it before
 * reaching the file. Output is ASCII, identical to stringifying the repr (the repr itself is
 * ASCII without control characters: JSON escapes only its backslashes and double quotes).
 */
export function bytesReprJson(bytes: Uint8Array, note = ""): Buffer {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? 0x22 : 0x27;
  // Worst case: every byte as \\xhh (5 characters), plus the quotes and the note.
  const out = Buffer.allocUnsafe(bytes.length * 5 + note.length * 2 + 16);
  let at = 0;
  out[at++] = 0x22; // the JSON string's quote
  out[at++] = 0x62; // b
  if (quote === 0x22) (out[at++] = 0x5c), (out[at++] = 0x22);
  else out[at++] = 0x27;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x20 && b < 0x7f && b !== quote && b !== 0x5c) {
      // A double quote inside a single-quoted repr is JSON-escaped.
      if (b === 0x22) out[at++] = 0x5c;
      out[at++] = b;
      continue;
    }
    // Each repr escape begins with a backslash, which JSON doubles.
    out[at++] = 0x5c;
    out[at++] = 0x5c;
    if (b === quote) {
      if (b === 0x22) out[at++] = 0x5c;
      out[at++] = b;
    } else if (b === 0x5c) (out[at++] = 0x5c), (out[at++] = 0x5c);
    else if (b === 0x09) out[at++] = 0x74;
    else if (b === 0x0a) out[at++] = 0x6e;
    else if (b === 0x0d) out[at++] = 0x72;
    else {
      out[at++] = 0x78;
      out[at++] = HEX[b >> 4];
      out[at++] = HEX[b & 15];
    }
  }
  if (quote === 0x22) (out[at++] = 0x5c), (out[at++] = 0x22);
  else out[at++] = 0x27;
  const tail = JSON.stringify(note).slice(1);
  at += out.write(tail, at, "latin1");
  return out.subarray(0, at);
}

const HEX = Buffer.from("0123456789abcdef");
