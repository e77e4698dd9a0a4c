import { existsSync } from "node:fs";
import { join } from "node:path";
import { listFlowFiles, readFlowFile, type FlowFile } from "../replay/flows-folder.js";
import type { Exchange } from "../record/exchange.js";

// The one place where the view reads flow records: their storage is replay/flows-folder.ts's
// business, and may change under it.

/** Where a log folder keeps its flow records: inside interfaces/ (hidden) or, earlier, beside it. */
export function flowsFolderOf(logFolder: string): string | undefined {
  for (const dir of [join(logFolder, "interfaces", ".st-proxy", "flows"), join(logFolder, "flows")]) if (existsSync(dir)) return dir;
  return undefined;
}

export interface FlowRef {
  interface: string;
  /** The dump the flow belongs to (same number). */
  dumpName: string;
  /** Where it is, for messages. */
  where: string;
  read(): Exchange;
}

/** The flow records of a log folder (of one interface when given), per interface in number order. */
export function listFlows(logFolder: string, iface?: string): FlowRef[] {
  const dir = flowsFolderOf(logFolder);
  if (!dir) return [];
  return listFlowFiles(dir)
    .filter((f: FlowFile) => iface === undefined || f.interface === iface)
    .map((f) => ({ interface: f.interface, dumpName: f.dumpName, where: f.file, read: () => readFlowFile(f.file) }));
}

/** The exchanges of some flow records; a record that cannot be read is reported to `skip` and left out. */
export function* readableFlows(flows: readonly FlowRef[], skip: (ref: FlowRef, error: Error) => void = () => {}): Generator<{ exchange: Exchange; dumpName: string }> {
  for (const f of flows) {
    let exchange: Exchange;
    try {
      exchange = f.read();
    } catch (error) {
      skip(f, error as Error);
      continue;
    }
    yield { exchange, dumpName: f.dumpName };
  }
}
