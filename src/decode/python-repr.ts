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
