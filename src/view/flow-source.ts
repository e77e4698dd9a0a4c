import { existsSync } from "node:fs";
import { listFlows as listRecorded } from "../replay/flows-folder.js";
import { flowsDir } from "../record/layout.js";
import type { Exchange } from "../model/exchange.js";

// The one place where the view reads flow records: their storage is replay/flows-folder.ts's
// business, and may change under it.

/** Whether a log folder keeps flow records (cheap: nothing is read). */
export function hasFlows(logFolder: string): boolean {
  return existsSync(flowsDir(logFolder));
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
export function listFlows(logFolder: string, iface?: string): { flows: FlowRef[]; warnings: string[] } {
  if (!hasFlows(logFolder)) return { flows: [], warnings: [] };
  const { entries, warnings } = listRecorded(logFolder);
  const flows = entries
    .filter((e) => iface === undefined || e.interface === iface)
    .map((e) => ({ interface: e.interface, dumpName: e.dumpName, where: e.source, read: () => e.read() }));
  return { flows, warnings };
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
