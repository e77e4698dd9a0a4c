import { readFileSync } from "node:fs";
import JSON5 from "json5";

/**
 * Reads a dump for validation. Dumps are Python's json.dump output, which may carry the tokens
 * NaN / Infinity / -Infinity (span metrics): JSON5 reads those. Integers past 2^53 come back
 * rounded, which changes no type or range a schema checks.
 */
export function readDumpFile(file: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/\b(NaN|Infinity)\b/.test(text)) throw error;
    return JSON5.parse(text);
  }
}
