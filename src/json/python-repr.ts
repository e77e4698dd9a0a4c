/**
 * Python's repr() of a bytes value (b'...'), which the reference writes wherever bytes are left
 * in a dump: single quotes unless the bytes hold a ' and no ", then double quotes; \\t \\n \\r
 * and \\\\ escaped; other bytes outside 0x20..0x7e as \\xNN.
 */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = "b" + quote;
  for (const b of bytes) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === quote.charCodeAt(0)) out += "\\" + quote;
    else if (b < 0x20 || b > 0x7e) out += "\\x" + b.toString(16).padStart(2, "0");
    else out += String.fromCharCode(b);
  }
  return out + quote;
}
