import { Worker } from "node:worker_threads";
import { dirname } from "node:path";
import { dumpFilename, filesDirFor } from "./dump.js";
import type { Exchange } from "../model/exchange.js";
import { makeDumpFile, stageDumpFile, type DumpFile, type DumpFileOptions } from "./dump-file.js";
import { encodeFlowRecord, FlowLogWriter } from "./flow-log.js";
import { AtomicWriter } from "./atomic-write.js";
import { FailureLog } from "./failure-log.js";
import { flowsDir, stagingDir } from "./layout.js";
import { OutputScratch } from "../decode/index.js";
import { ownsWholeBuffer } from "../model/buffers.js";
import type { Scrubber } from "./scrub.js";
import type { ExchangeSink } from "./sink.js";
import type { ThreadJob, ThreadReply, ThreadSetup } from "./recording-thread.js";

export interface RecorderOptions {
  logFolder: string;
  scrubber: Scrubber;
  /** Keep each raw exchange in the interface's flow log (<log folder>/interfaces/.st-proxy/flows/). */
  flows: boolean;
  /** Bodies decoding to more than this are not decoded (--max-body-size). */
  maxBodySize?: number;
  /** Threads that make the dumps of large exchanges (0: every dump on the calling thread). */
  threads?: number;
  /** The secrets behind `scrubber`, for the threads' own scrubbers. */
  secrets?: string[];
  /** Where write failures and st-proxy's own defects are reported. */
  report?: (line: string) => void;
  /** The dump builder on this thread (tests put a failing one here to reach the fallback). */
  build?: DumpFileOptions["build"];
}

/**
 * Exchanges whose bodies add up to this or more have their dump made on a recording thread;
 * smaller ones on the event loop, where that is cheaper than the hand-over (measured: posting a
 * small exchange to a thread and back costs more CPU than decoding it), and a large one would
 * hold up every listener for as long as it decodes.
 */
export const LARGE_EXCHANGE = 256 * 1024;

/** Recording threads that may stop in a row, without making a dump, before no more are started. */
export const MAX_THREAD_FAILURES = 3;

/** Per interface: the next number to put in place, and the dumps made ahead of it. */
interface Sequence {
  next: number;
  ready: Map<number, { logFilename: string; staged?: string; done: () => void }>;
}

interface Thread {
  worker: Worker;
  pending: Map<number, { iface: string; counter: number; logFilename: string; ex: Exchange; done: () => void }>;
  dead: boolean;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * Turns each finished exchange into its numbered dump and flow record: one counter per
 * interface, from 0, no gaps, no duplicates; every file scrubbed and written atomically; the
 * dumps of an interface put in place in number order (a reader polling the folder sees 00004
 * before 00005, as with the reference) even when a large one was made on a thread meanwhile.
 * `record` settles once the dump is in place. Nothing a payload does makes it throw.
 */
export class Recorder implements ExchangeSink {
  private readonly counters = new Map<string, number>();
  private readonly sequences = new Map<string, Sequence>();
  private readonly writer: AtomicWriter;
  private readonly flowLog?: FlowLogWriter;
  private readonly failures: FailureLog;
  /** This thread's render buffer: each dump is staged before the next is made. */
  private readonly scratch = new OutputScratch();
  private readonly threads: Thread[] = [];
  /** Threads wanted; started at the first large exchange (an idle one costs ~20 MB). */
  private readonly threadCount: number;
  private nextJob = 0;
  private turn = 0;
  private closed = false;
  private defects = 0;
  /** Threads stopped since the last dump a thread made (a thread that cannot start would be replaced forever). */
  private failedInARow = 0;
  /** Where the dumps were made: on a recording thread, or on the calling thread. */
  readonly made = { onThreads: 0, here: 0 };

  constructor(private readonly options: RecorderOptions) {
    // Staging beside the dumps (inside interfaces/): the final rename never crosses file systems.
    this.writer = new AtomicWriter(stagingDir(options.logFolder));
    if (options.flows) this.flowLog = new FlowLogWriter(flowsDir(options.logFolder));
    this.failures = new FailureLog(options.report);
    this.threadCount = options.threads ?? 0;
  }

  /** Files that could not be written, so far. */
  get writeFailures(): number {
    return this.failures.count;
  }

  /** Dumps st-proxy had to fall back on because of its own defect (not the payload's). */
  get defectCount(): number {
    return this.defects;
  }

  record(ex: Exchange): Promise<void> {
    const counter = this.counters.get(ex.interface) ?? 0;
    this.counters.set(ex.interface, counter + 1);
    const logFilename = dumpFilename(this.options.logFolder, ex.interface, counter, ex.path);
    this.appendFlow(ex, counter, logFilename);
    const size = ex.request.body.length + (ex.response?.body.length ?? 0);
    const thread = size >= LARGE_EXCHANGE ? this.pickThread() : undefined;
    if (thread) {
      this.made.onThreads++;
      return new Promise((done) => {
        const id = this.nextJob++;
        thread.pending.set(id, { iface: ex.interface, counter, logFilename, ex, done });
        const job: ThreadJob = { id, ex, logFilename };
        // The request body is handed over, not copied (the event loop is done with it); the
        // response body is copied: the client still gets it once the dump is in place.
        thread.worker.postMessage(job, transferable(ex.request.body));
      });
    }
    this.made.here++;
    const staged = this.stage(this.make(ex, logFilename), logFilename);
    // In place at once unless an earlier dump of the interface is still being made: only then
    // is a promise made (its resolver is set before anything can call `done`).
    let resolve!: () => void;
    if (this.ready(ex.interface, counter, logFilename, staged, () => resolve())) return DONE;
    return new Promise((r) => (resolve = r));
  }

  /**
   * Records one exchange under a dump path the caller chose (replay keeps the recorded names),
   * on this thread, with no number taken and no flow record; false when it could not be written.
   */
  recordAs(ex: Exchange, logFilename: string): boolean {
    const before = this.failures.count;
    const staged = this.stage(this.make(ex, logFilename), logFilename);
    if (staged !== undefined) this.publish(staged, logFilename);
    return this.failures.count === before;
  }

  /** Waits for every exchange handed over so far to be in place, then stops the threads. */
  async close(): Promise<void> {
    while (this.threads.some((t) => t.pending.size > 0)) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
    this.flowLog?.close();
    this.failures.flushAll();
  }

  private appendFlow(ex: Exchange, counter: number, logFilename: string): void {
    if (!this.flowLog) return;
    try {
      this.flowLog.append(ex.interface, encodeFlowRecord(scrubExchange(ex, this.options.scrubber), counter, logFilename));
    } catch (error) {
      // A flow record that cannot be written must not cost the dump.
      this.failures.report(`the flow record of ${logFilename}`, error);
    }
  }

  private make(ex: Exchange, logFilename: string): DumpFile {
    const made = makeDumpFile(ex, logFilename, { filesDir: filesDirFor(this.options.logFolder, ex.interface), scrubber: this.options.scrubber, maxBodySize: this.options.maxBodySize, build: this.options.build, scratch: this.scratch });
    if (made.defect) this.defect(logFilename, made.defect);
    return made;
  }

  private defect(logFilename: string, why: string): void {
    this.defects++;
    (this.options.report ?? console.error)(`st-proxy: DEFECT: ${logFilename} was written with a traceback because st-proxy failed, not the payload: ${why}`);
  }

  private stage(made: DumpFile, logFilename: string): string | undefined {
    return stageDumpFile(this.writer, made, logFilename, (what, error) => this.failures.report(what, error));
  }

  private publish(staged: string, logFilename: string): void {
    try {
      this.writer.publish(staged, logFilename, dirname(logFilename));
    } catch (error) {
      this.failures.report(logFilename, error);
    }
  }

  /** A dump is staged: put it and any that waited for it in place, in number order; true if it went. */
  private ready(iface: string, counter: number, logFilename: string, staged: string | undefined, done: () => void): boolean {
    let seq = this.sequences.get(iface);
    if (!seq) this.sequences.set(iface, (seq = { next: 0, ready: new Map() }));
    if (counter === seq.next && seq.ready.size === 0) {
      seq.next++;
      if (staged !== undefined) this.publish(staged, logFilename);
      return true;
    }
    seq.ready.set(counter, { logFilename, staged, done });
    for (let r = seq.ready.get(seq.next); r; r = seq.ready.get(seq.next)) {
      seq.ready.delete(seq.next++);
      if (r.staged !== undefined) this.publish(r.staged, r.logFilename);
      r.done();
    }
    return false;
  }

  private pickThread(): Thread | undefined {
    while (this.threads.length < this.threadCount) this.threads.push(this.spawn());
    const live = this.threads.filter((t) => !t.dead);
    if (live.length === 0) return undefined;
    let best = live[this.turn++ % live.length];
    for (const t of live) if (t.pending.size < best.pending.size) best = t;
    return best;
  }

  private spawn(): Thread {
    const setup: ThreadSetup = { logFolder: this.options.logFolder, secrets: this.options.secrets ?? [], maxBodySize: this.options.maxBodySize };
    // No V8 heap limit on the thread: on Node 26 a worker at its limit thrashes or takes the
    // process down. Decoders bound their trees instead (MAX_DECODED_VALUES).
    const worker = startThread(setup);
    const thread: Thread = { worker, pending: new Map(), dead: false };
    worker.unref();
    worker.on("message", (reply: ThreadReply) => {
      const p = thread.pending.get(reply.id);
      if (!p) return;
      thread.pending.delete(reply.id);
      this.failedInARow = 0;
      for (const f of reply.failures) this.failures.report(f.what, Object.assign(new Error(f.message), { code: f.code }));
      if (reply.defect) this.defect(p.logFilename, reply.defect);
      if (this.ready(p.iface, p.counter, p.logFilename, reply.staged, p.done)) p.done();
    });
    const takeOver = (why: string) => {
      if (this.closed || thread.dead) return;
      thread.dead = true;
      (this.options.report ?? console.error)(`st-proxy: DEFECT: a recording thread stopped (${why}); its ${thread.pending.size} exchange(s) are recorded on the main thread`);
      // Its exchanges are recorded here; their request bodies were handed over, so the dumps say so.
      for (const [id, p] of thread.pending) {
        thread.pending.delete(id);
        const reason = `st-proxy's recording thread stopped (${why}) while making this dump`;
        const staged = this.stage(this.make(bodiesLost(p.ex, reason), p.logFilename), p.logFilename);
        if (this.ready(p.iface, p.counter, p.logFilename, staged, p.done)) p.done();
      }
      // Replaced, unless threads keep stopping before making any dump (one that cannot start,
      // say): then the dead one stays in the list and large exchanges are recorded here.
      if (++this.failedInARow === MAX_THREAD_FAILURES) {
        (this.options.report ?? console.error)(`st-proxy: DEFECT: ${MAX_THREAD_FAILURES} recording threads in a row stopped before making a dump; large exchanges are recorded on the main thread from now on`);
      }
      if (this.failedInARow >= MAX_THREAD_FAILURES) return;
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads[index] = this.spawn();
    };
    worker.on("error", (error) => takeOver(error.message));
    worker.on("exit", (code) => takeOver(`exit code ${code}`));
    return thread;
  }
}

/**
 * Built, the thread runs recording-thread.js. Under tsx (tests importing the sources) it must
 * run the .ts file, and a worker does not inherit tsx's loader: it registers it first.
 */
function startThread(setup: ThreadSetup): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./recording-thread.js", import.meta.url), { workerData: setup });
  const module = new URL("./recording-thread.ts", import.meta.url).href;
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(module)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/** The body's ArrayBuffer if the body owns it whole (a slice of a shared one is copied instead). */
function transferable(body: Buffer): ArrayBuffer[] {
  return ownsWholeBuffer(body) ? [body.buffer as ArrayBuffer] : [];
}

/** An exchange whose request body went to a thread that stopped: kept in the flow record, not here. */
function bodiesLost(ex: Exchange, reason: string): Exchange {
  const error = [ex.error, `${reason}: the request body is in the flow record only`].filter(Boolean).join("; ");
  return { ...ex, error, request: { ...ex.request, body: Buffer.alloc(0) } };
}

/** The exchange as it may be written: every secret replaced, in the target, headers and bodies. */
export function scrubExchange(ex: Exchange, s: Scrubber): Exchange {
  if (!s.active) return ex;
  const headers = (h: [string, string][]) => h.map(([n, v]) => [n, s.text(v)] as [string, string]);
  return {
    ...ex,
    path: s.text(ex.path),
    ...(ex.error ? { error: s.text(ex.error) } : {}),
    request: { headers: headers(ex.request.headers), body: s.bytes(ex.request.body) },
    response: ex.response && { ...ex.response, headers: headers(ex.response.headers), body: s.bytes(ex.response.body) },
  };
}
