// A recording thread: makes the dumps of large exchanges (decode, render, scrub, stage) off the
// event loop that proxies. The dump stays staged: the main thread puts it in place, in number
// order, and reports the failures (one clear line per kind).
import { parentPort, workerData } from "node:worker_threads";
import type { Exchange } from "../model/exchange.js";
import { makeDumpFile, stageDumpFile } from "./dump-file.js";
import { filesDirFor } from "./dump.js";
import { AtomicWriter } from "./atomic-write.js";
import { stagingDir } from "./layout.js";
import { Scrubber } from "./scrub.js";
import { OutputScratch } from "../decode/index.js";
import { releaseBuffer } from "../model/buffers.js";

export interface ThreadJob {
  id: number;
  ex: Exchange;
  logFilename: string;
}
export interface ThreadSetup {
  logFolder: string;
  secrets: string[];
  maxBodySize?: number;
}
export interface ThreadReply {
  id: number;
  /** The staged dump, to be renamed into place; absent when it could not be written. */
  staged?: string;
  failures: { what: string; message: string; code?: string }[];
  defect?: string;
}

const setup = workerData as ThreadSetup;
const scrubber = new Scrubber(setup.secrets);
const writer = new AtomicWriter(stagingDir(setup.logFolder));
// Each dump is staged before the next job is taken: one render buffer serves them all.
const scratch = new OutputScratch();
// Structured cloning turns Buffers into plain Uint8Arrays: view them as Buffers again, no copy.
const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

parentPort!.on("message", ({ id, ex, logFilename }: ThreadJob) => {
  ex.request.body = buf(ex.request.body);
  if (ex.response) ex.response.body = buf(ex.response.body);
  const reply: ThreadReply = { id, failures: [] };
  const failed = (what: string, error: unknown) => reply.failures.push({ what, message: (error as Error).message, code: (error as NodeJS.ErrnoException).code });
  const made = makeDumpFile(ex, logFilename, { filesDir: filesDirFor(setup.logFolder, ex.interface), scrubber, maxBodySize: setup.maxBodySize, scratch });
  if (made.defect) reply.defect = made.defect;
  // Synchronous writes: each recording thread is its own I/O thread.
  reply.staged = stageDumpFile(writer, made, logFilename, failed);
  parentPort!.postMessage(reply);
  // The bodies are this thread's alone and done with (measured: tens of MB of dead 2 MB bodies
  // waited for a collection at 32 clients).
  releaseBuffer(ex.request.body);
  if (ex.response) releaseBuffer(ex.response.body);
});
