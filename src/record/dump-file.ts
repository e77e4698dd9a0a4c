/**
 * One exchange's dump as bytes, with the files it exports, scrubbed: what the recorder writes.
 * Never throws for a payload, nor for a defect of st-proxy's: a dump that cannot be built or
 * written as usual becomes the envelope with both bodies as raw_content and the reason as
 * traceback, so that no exchange ever goes without its dump.
 */
import type { ExportedFile, OutputScratch } from "../decode/index.js";
import { boundedBytesReprJson, describeError } from "../decode/index.js";
import { writePythonJsonParts } from "../json/write.js";
import { rawJson, type JsonObject } from "../json/value.js";
import { buildDump, dumpEnvelope } from "./dump.js";
import type { Exchange } from "../model/exchange.js";
import type { Scrubber } from "./scrub.js";
import type { AtomicWriter } from "./atomic-write.js";
import { dirname } from "node:path";

export interface DumpFileOptions {
  filesDir: string;
  scrubber: Scrubber;
  maxBodySize?: number;
  /** The dump builder (tests put a failing one here to reach the fallback). */
  build?: typeof buildDump;
  /** Where a rendered payload may be written: then `parts` views it, until the next dump is made. */
  scratch?: OutputScratch;
}

export interface DumpFile {
  /** The dump's bytes, in pieces (a rendered payload is not copied into one buffer): write them in order. */
  parts: Buffer[];
  files: ExportedFile[];
  /** Set when st-proxy itself failed (not the payload): the dump is the fallback one. */
  defect?: string;
}

export function makeDumpFile(ex: Exchange, logFilename: string, options: DumpFileOptions): DumpFile {
  const { scrubber } = options;
  try {
    const { dump, files } = (options.build ?? buildDump)(ex, logFilename, options.filesDir, options.maxBodySize, options.scratch);
    // (Scrubber.bytes hands back the same buffer when there is no secret.)
    return { parts: scrubber.parts(writePythonJsonParts(dump)), files: files.map((f) => ({ path: f.path, data: scrubber.bytes(f.data) })) };
  } catch (error) {
    const traceback = `st-proxy could not write this dump as usual: ${describeError(error)}`;
    const side = (body: Buffer): JsonObject => ({ length: body.length, raw_content: rawJson(boundedBytesReprJson(body)), traceback });
    const dump = dumpEnvelope(ex, logFilename, side(ex.request.body), ex.response && !ex.killed ? side(ex.response.body) : null, ex.error);
    return { parts: scrubber.parts(writePythonJsonParts(dump)), files: [], defect: traceback.split("\n")[0] };
  }
}

/**
 * Writes a made dump's exported files, then stages the dump itself (for the caller to rename into
 * place in number order): the staging file's name, or undefined when it could not be written.
 * Each failure goes to `failed`; a file that cannot be written never costs the dump.
 */
export function stageDumpFile(writer: AtomicWriter, made: DumpFile, logFilename: string, failed: (what: string, error: unknown) => void): string | undefined {
  for (const file of made.files) {
    try {
      writer.write(file.path, dirname(file.path), file.data);
    } catch (error) {
      failed(file.path, error);
    }
  }
  try {
    return writer.stage(made.parts);
  } catch (error) {
    failed(logFilename, error);
    return undefined;
  }
}
