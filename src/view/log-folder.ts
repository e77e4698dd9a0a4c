import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** One dump as its file name tells it (no read of the content: listing 100,000 stays cheap). */
export interface DumpEntry {
  interface: string;
  /** The dump file's name, e.g. `00012__v0.4_traces.json`: with the interface, the row's id. */
  name: string;
  number: number;
  /** The request path as the name tells it ("_" back to "/": only a hint, the dump has it). */
  path: string;
  /** When the file was put in place (ms since the epoch): orders rows across interfaces. */
  mtimeMs: number;
}

const DUMP_NAME = /^(\d+)_(.*)\.json$/;

/** The folder holding one folder per interface. */
export function interfacesRoot(logFolder: string): string {
  return join(logFolder, "interfaces");
}

/** Interface folders of a log folder: hidden folders (st-proxy's own) left out. */
export function listInterfaces(logFolder: string): string[] {
  const root = interfacesRoot(logFolder);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/** Parses a dump's file name; undefined for anything else (files/, flow records, temp files). */
export function dumpEntryOf(iface: string, name: string, mtimeMs: number): DumpEntry | undefined {
  const m = DUMP_NAME.exec(name);
  if (!m || name.endsWith(".flow.json")) return undefined;
  return { interface: iface, name, number: Number(m[1]), path: m[2].replace(/_/g, "/"), mtimeMs };
}

/** The dump of that name in an interface's folder, with its time; undefined when not a dump file (or gone). */
export function dumpAt(dir: string, iface: string, name: string): DumpEntry | undefined {
  if (!DUMP_NAME.test(name)) return undefined;
  try {
    const st = statSync(join(dir, name));
    return st.isFile() ? dumpEntryOf(iface, name, Math.round(st.mtimeMs)) : undefined;
  } catch {
    return undefined; // removed meanwhile
  }
}

/** The dumps of one interface, in number order (one stat per file, for its time). */
export function listDumps(logFolder: string, iface: string): DumpEntry[] {
  const dir = join(interfacesRoot(logFolder), iface);
  const out: DumpEntry[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const entry = dumpAt(dir, iface, name);
    if (entry) out.push(entry);
  }
  return out.sort((a, b) => a.number - b.number);
}

/**
 * The path of a dump named by the page, or undefined when the names would leave the log folder
 * or do not name a dump (the page is not trusted to send well-formed names).
 */
export function dumpPath(logFolder: string, iface: string, name: string): string | undefined {
  if (!isPlainName(iface) || iface.startsWith(".") || !isPlainName(name) || !DUMP_NAME.test(name)) return undefined;
  return join(interfacesRoot(logFolder), iface, name);
}

function isPlainName(s: string): boolean {
  return s.length > 0 && s.length < 1024 && !/[\\/\0]/.test(s) && s !== "." && s !== "..";
}
