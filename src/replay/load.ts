import type { Exchange } from "../model/exchange.js";
import { interfacesOf, listFlows, type FlowEntry } from "./flows-folder.js";

export interface LoadedInterface {
  interface: string;
  /** Readable records, in recorded order. */
  records: { file: FlowEntry; exchange: Exchange }[];
  /** Unreadable ones, skipped. */
  bad: { file: string; reason: string }[];
}

/**
 * Reads the flow records of one interface of a recording. Without a name, the recording's only
 * interface, or "library" (the tracer's) when it has several.
 */
export function loadInterface(flowsDir: string, wanted?: string): LoadedInterface {
  const files = listFlows(flowsDir).entries;
  const present = interfacesOf(files);
  const name = wanted ?? (present.length === 1 ? present[0] : present.includes("library") ? "library" : undefined);
  if (name === undefined || !present.includes(name))
    throw new Error(
      `${flowsDir} has no flow records${name ? ` for interface ${JSON.stringify(name)}` : " of a single or library interface"} (interfaces there: ${present.join(", ") || "none"})`,
    );
  const loaded: LoadedInterface = { interface: name, records: [], bad: [] };
  for (const file of files) {
    if (file.interface !== name) continue;
    try {
      loaded.records.push({ file, exchange: file.read() });
    } catch (error) {
      loaded.bad.push({ file: file.source, reason: (error as Error).message });
    }
  }
  return loaded;
}
