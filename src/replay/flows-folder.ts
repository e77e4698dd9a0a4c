import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Exchange } from "../model/exchange.js";
import { fromFlowRecord } from "../record/flow.js";
import { FLOW_LOG_SUFFIX, readFlowLogEntry, scanFlowLog } from "../record/flow-log.js";
import { flowsDir as flowsOf } from "../record/layout.js";

const FLOW_FILE = /^(\d+)_.*\.flow\.json$/;

/** One recorded exchange of a recording, not read yet. */
export interface FlowEntry {
  /** The interface it was recorded on. */
  interface: string;
  counter: number;
  /** The dump's file name the recorder gave it: `<counter>_<path>.json`. */
  dumpName: string;
  /** The dump path it was recorded under, where the record says it. */
  logFilename?: string;
  /** Where it is, for messages: a file, or a flow log and a byte offset. */
  source: string;
  read(): Exchange;
}

/**
 * Every flow record of a recording, per interface in counter order, from either form:
 * - st-proxy's flow logs (`<interface>.flows`, as `serve` writes them), given a log folder
 *   (they are in interfaces/.st-proxy/flows), that flows folder, or one `.flows` file;
 * - the corpus form (`<counter>_<path>.flow.json` files), given a folder with one sub-folder
 *   per interface, or one interface's folder.
 * `warnings` names what was left out (an incomplete last record after a crash).
 */
export function listFlows(path: string): { entries: FlowEntry[]; warnings: string[] } {
  const inLogFolder = flowsOf(path);
  const dir = existsSync(inLogFolder) ? inLogFolder : path;
  const warnings: string[] = [];
  let entries: FlowEntry[];
  if (statSync(dir).isFile()) entries = fromFlowLog(dir, warnings);
  else {
    const names = readdirSync(dir, { withFileTypes: true });
    if (names.some((e) => e.isFile() && e.name.endsWith(FLOW_LOG_SUFFIX)))
      entries = names.filter((e) => e.isFile() && e.name.endsWith(FLOW_LOG_SUFFIX)).flatMap((e) => fromFlowLog(join(dir, e.name), warnings));
    else if (names.some((e) => e.isFile() && FLOW_FILE.test(e.name))) entries = fromFlowFiles(dir, basename(dir));
    else entries = names.filter((e) => e.isDirectory()).flatMap((e) => fromFlowFiles(join(dir, e.name), e.name));
  }
  // By interface, then number (counters past 99999 have more digits: by number, not name).
  entries.sort((a, b) => (a.interface < b.interface ? -1 : a.interface > b.interface ? 1 : a.counter - b.counter));
  return { entries, warnings };
}

function fromFlowLog(file: string, warnings: string[]): FlowEntry[] {
  const { entries, incomplete } = scanFlowLog(file);
  if (incomplete) warnings.push(`left out: ${incomplete}`);
  return entries.map((e) => ({
    interface: e.meta.interface,
    counter: e.meta.counter,
    dumpName: basename(e.meta.log_filename),
    logFilename: e.meta.log_filename,
    source: `${file} (byte ${e.offset})`,
    read: () => readFlowLogEntry(e),
  }));
}

function fromFlowFiles(dir: string, iface: string): FlowEntry[] {
  const out: FlowEntry[] = [];
  for (const name of readdirSync(dir)) {
    const m = FLOW_FILE.exec(name);
    const file = join(dir, name);
    if (!m || !statSync(file).isFile()) continue;
    out.push({
      interface: iface,
      counter: Number(m[1]),
      dumpName: name.replace(/\.flow\.json$/, ".json"),
      source: file,
      read: () => {
        const exchange = readFlowFile(file);
        if (exchange.interface !== iface) throw new Error(`it records interface ${JSON.stringify(exchange.interface)} but sits in the folder of ${JSON.stringify(iface)}`);
        return exchange;
      },
    });
  }
  return out;
}

/** Reads one flow record file (corpus form); throws with a one-line reason when it is not one. */
export function readFlowFile(file: string): Exchange {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  return fromFlowRecord(parsed).exchange;
}

/** The interfaces present in a list of flows, in first-seen order. */
export function interfacesOf(entries: readonly FlowEntry[]): string[] {
  return [...new Set(entries.map((f) => f.interface))];
}
