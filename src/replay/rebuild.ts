import { Recorder } from "../record/recorder.js";
import type { Scrubber } from "../record/scrub.js";
import { listFlows } from "./flows-folder.js";

export interface RebuildOptions {
  scrubber: Scrubber;
  /** Called after each record, done counting from 1. */
  onProgress?: (done: number, total: number) => void;
}

export interface RebuildResult {
  records: number;
  written: number;
  /** Records that could not be read (or their dump written): skipped, named by file. */
  bad: { file: string; reason: string }[];
  /** What was left out of the recording as read (an incomplete last record after a crash). */
  warnings: string[];
}

// Hand the event loop back now and then, so that a progress bar redraws and signals get through.
const YIELD_EVERY = 256;

/**
 * `replay decode`: rebuilds every dump of a recording from its flow records into another log
 * folder, through the same recorder `serve` uses (same builder, same scrubbing, same atomic
 * writes). Each dump keeps the file name it was recorded under, so the counters match even
 * when a record in between is bad; only the log folder in log_filename and exported-file
 * paths changes.
 */
export async function rebuildDumps(flowsDir: string, logFolder: string, options: RebuildOptions): Promise<RebuildResult> {
  const { entries: files, warnings } = listFlows(flowsDir);
  const recorder = new Recorder({ logFolder, scrubber: options.scrubber, flows: false });
  const result: RebuildResult = { records: files.length, written: 0, bad: [], warnings };
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    try {
      const exchange = f.read();
      if (!recorder.recordAs(exchange, `${logFolder}/interfaces/${f.interface}/${f.dumpName}`)) throw new Error("its dump could not be written");
      result.written++;
    } catch (error) {
      result.bad.push({ file: f.source, reason: (error as Error).message });
    }
    options.onProgress?.(i + 1, files.length);
    if ((i + 1) % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}
