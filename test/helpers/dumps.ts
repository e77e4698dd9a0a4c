import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Dump files of one interface, in counter order. */
export function dumpFiles(logFolder: string, iface: string): string[] {
  const dir = join(logFolder, "interfaces", iface);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Reads a dump as Python would: big integers kept as their digits (as bigint), NaN accepted.
 * (JSON.parse would round 64-bit ids, so numbers of 16+ digits are turned into strings first.)
 */
export function readDump(file: string): any {
  const text = readFileSync(file, "utf8");
  const exact = text.replace(/(?<=[:\[,]\s*)(-?\d{16,})(?=\s*[,\]}\n])/g, '"$1n"');
  return JSON.parse(exact, (_k, v) => (typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v));
}

export function readDumps(logFolder: string, iface: string): any[] {
  return dumpFiles(logFolder, iface).map(readDump);
}
