import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { interfacesRoot, type DumpEntry } from "./log-folder.js";

/** Limits of one search: it stops at whichever comes first, and says where to go on from. */
export interface SearchLimits {
  maxMatches: number;
  /** Bytes of dump files read. */
  maxBytes: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxMatches: 1000, maxBytes: 256 << 20 };

export type SearchEvent =
  | { type: "match"; interface: string; name: string }
  | { type: "progress"; scanned: number; total: number }
  /** `next`: where a further search would start (undefined when every dump was read). */
  | { type: "end"; scanned: number; total: number; bytes: number; next?: number };

/**
 * The byte strings a text may appear as inside a dump file: as typed, and as Python's json.dump
 * writes it in a string (quotes and backslashes escaped, non-ASCII as \uXXXX escapes).
 */
export function needlesFor(text: string): Buffer[] {
  const escaped = JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const forms = new Set([text, escaped]);
  return [...forms].filter((s) => s.length > 0).map((s) => Buffer.from(s, "utf8"));
}

/**
 * Looks for a text in dump files, one file after the other, in the order given, from `start`.
 * Raw bytes are searched (no parsing), so a trace id matches however the dump writes it
 * (a JSON number in v0.4 traces, a decimal string in agent payloads). Bounded by `limits`;
 * stops early when `signal` aborts (the page went away or changed the query).
 */
export async function* searchDumps(
  logFolder: string,
  entries: readonly DumpEntry[],
  text: string,
  start = 0,
  limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
  signal?: AbortSignal,
): AsyncGenerator<SearchEvent> {
  const needles = needlesFor(text);
  const root = interfacesRoot(logFolder);
  let bytes = 0;
  let matches = 0;
  let i = start;
  let lastProgress = Date.now();
  for (; i < entries.length; i++) {
    if (signal?.aborted) break;
    if (matches >= limits.maxMatches || bytes >= limits.maxBytes) break;
    const e = entries[i];
    let data: Buffer;
    try {
      data = await readFile(join(root, e.interface, e.name));
    } catch {
      continue; // removed meanwhile
    }
    bytes += data.length;
    if (needles.some((n) => data.includes(n))) {
      matches++;
      yield { type: "match", interface: e.interface, name: e.name };
    }
    if (Date.now() - lastProgress > 250) {
      lastProgress = Date.now();
      yield { type: "progress", scanned: i + 1, total: entries.length };
    }
  }
  yield { type: "end", scanned: i, total: entries.length, bytes, ...(i < entries.length ? { next: i } : {}) };
}
