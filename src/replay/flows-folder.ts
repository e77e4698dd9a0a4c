import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Exchange } from "../record/exchange.js";
import { fromFlowRecord } from "../record/flow.js";
import { flowsDir as flowsOf } from "../record/layout.js";

const FLOW_FILE = /^(\d+)_.*\.flow\.json$/;

/** One flow record file of a recording: `<flows>/<interface>/<counter>_<path>.flow.json`. */
export interface FlowFile {
  /** The interface folder it sits in. */
  interface: string;
  counter: number;
  /** The dump's file name the recorder gave it: `<counter>_<path>.json`. */
  dumpName: string;
  file: string;
}

/**
 * The flow record files of a recording, per interface in counter order. FLOWS is a log folder
 * (its flow records are in interfaces/.st-proxy/flows), that flows folder (one sub-folder per
 * interface), or one interface's folder.
 */
export function listFlowFiles(flows: string): FlowFile[] {
  const inLogFolder = flowsOf(flows);
  const flowsDir = existsSync(inLogFolder) ? inLogFolder : flows;
  const entries = readdirSync(flowsDir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && FLOW_FILE.test(e.name))) return listInterface(flowsDir, basename(flowsDir));
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .flatMap((iface) => listInterface(join(flowsDir, iface), iface));
}

function listInterface(dir: string, iface: string): FlowFile[] {
  const files: FlowFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = FLOW_FILE.exec(name);
    if (!m || !statSync(join(dir, name)).isFile()) continue;
    files.push({ interface: iface, counter: Number(m[1]), dumpName: name.replace(/\.flow\.json$/, ".json"), file: join(dir, name) });
  }
  // Counters past 99999 have more digits: order by number, not by name.
  return files.sort((a, b) => a.counter - b.counter);
}

/** Reads one flow record; throws with a one-line reason when it is not one. */
export function readFlowFile(file: string): Exchange {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  return fromFlowRecord(parsed).exchange;
}

/** The interfaces present in a list of flow files, in first-seen order. */
export function interfacesOf(files: readonly FlowFile[]): string[] {
  return [...new Set(files.map((f) => f.interface))];
}
