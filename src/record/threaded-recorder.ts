import { Worker } from "node:worker_threads";
import type { Exchange } from "./exchange.js";
import { Recorder, type RecorderOptions } from "./recorder.js";
import type { ExchangeSink } from "./sink.js";
import type { ThreadJob, ThreadSetup } from "./recording-thread.js";

interface Pending {
  job: ThreadJob;
  counter: number;
  bytes: number;
  done: () => void;
}

/** Per interface: the next number to put in place, and the dumps written ahead of it. */
interface Sequence {
  next: number;
  ready: Map<number, { p: Pending; staged?: string }>;
}

interface Thread {
  worker: Worker;
  /** Posted to the thread, not yet written. */
  pending: Map<number, Pending>;
  postedBytes: number;
  /** Waiting here until the thread has room: a body is copied to a thread only when it can start. */
  waiting: Pending[];
}

// Bodies posted to a thread but not yet recorded, at most (one larger exchange always goes).
const MAX_POSTED_BYTES = 8 * 1024 * 1024;

/**
 * Records on worker threads, so that decoding a large payload never holds up the listeners:
 * the event loop only numbers the exchange (counters stay here, so numbering is still gapless
 * and in answer order), and puts each dump in place once the thread has written it, in number
 * order per interface (a reader polling the folder sees 00004 before 00005, as with the
 * reference). A thread that dies takes nothing with it: its pending exchanges are recorded here.
 */
export class ThreadedRecorder implements ExchangeSink {
  private readonly local: Recorder;
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private turn = 0;
  private closed = false;
  private readonly sequences = new Map<string, Sequence>();

  constructor(
    private readonly options: RecorderOptions & { secrets: string[] },
    threadCount: number,
  ) {
    this.local = new Recorder(options);
    for (let i = 0; i < threadCount; i++) this.threads.push(this.spawn());
  }

  get writeFailures(): number {
    return this.local.writeFailures;
  }

  record(ex: Exchange): Promise<void> {
    const { counter, logFilename } = this.local.reserveNumbered(ex);
    // The least loaded thread; ties in turn.
    let thread = this.threads[this.turn++ % this.threads.length];
    for (const t of this.threads) if (t.postedBytes + t.waiting.length * MAX_POSTED_BYTES < thread.postedBytes + thread.waiting.length * MAX_POSTED_BYTES) thread = t;
    const job: ThreadJob = { id: this.nextId++, ex, logFilename };
    const bytes = ex.request.body.length + (ex.response?.body.length ?? 0);
    return new Promise((resolve) => {
      thread.waiting.push({ job, counter, bytes, done: resolve });
      this.pump(thread);
    });
  }

  /** Posts waiting exchanges while the thread has room (so memory holds one copy of a backlog, not two). */
  private pump(thread: Thread): void {
    while (thread.waiting.length > 0 && (thread.pending.size === 0 || thread.postedBytes + thread.waiting[0].bytes <= MAX_POSTED_BYTES)) {
      const p = thread.waiting.shift()!;
      thread.pending.set(p.job.id, p);
      thread.postedBytes += p.bytes;
      thread.worker.postMessage(p.job);
    }
  }

  /** Waits for every exchange handed over so far to be written, then stops the threads. */
  async close(): Promise<void> {
    while (this.threads.some((t) => t.pending.size > 0 || t.waiting.length > 0)) await new Promise((r) => setTimeout(r, 10));
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(waiting: Pending[] = []): Thread {
    const setup: ThreadSetup = { logFolder: this.options.logFolder, secrets: this.options.secrets, flows: this.options.flows };
    // Under tsx (tests importing the sources) the thread runs the .ts file; built, the .js one.
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const worker = new Worker(new URL(`./recording-thread${ext}`, import.meta.url), { workerData: setup });
    const thread: Thread = { worker, pending: new Map<number, Pending>(), postedBytes: 0, waiting };
    worker.unref();
    worker.on("message", ({ id, ok, staged }: { id: number; ok: boolean; staged?: string }) => {
      const p = thread.pending.get(id);
      if (!p) return;
      thread.pending.delete(id);
      thread.postedBytes -= p.bytes;
      if (!ok) this.local.countFailure();
      this.ready(p, staged);
      this.pump(thread);
    });
    let dead = false;
    const takeOver = (why: string) => {
      if (this.closed || dead) return;
      dead = true;
      console.error(`st-proxy: a recording thread stopped (${why}); its ${thread.pending.size} pending exchange(s) are recorded on the main thread`);
      for (const p of thread.pending.values()) this.ready(p, this.local.recordStaged(p.job.ex, p.job.logFilename).staged);
      thread.pending.clear();
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.pump((this.threads[index] = this.spawn(thread.waiting)));
    };
    worker.on("error", (error) => takeOver(error.message));
    worker.on("exit", (code) => takeOver(`exit code ${code}`));
    return thread;
  }

  /** A dump is written (staged): put it and any that waited for it in place, in number order. */
  private ready(p: Pending, staged: string | undefined): void {
    const iface = p.job.ex.interface;
    let seq = this.sequences.get(iface);
    if (!seq) this.sequences.set(iface, (seq = { next: 0, ready: new Map() }));
    seq.ready.set(p.counter, { p, staged });
    for (let r = seq.ready.get(seq.next); r; r = seq.ready.get(seq.next)) {
      seq.ready.delete(seq.next++);
      if (r.staged !== undefined) this.local.publishDump(r.staged, r.p.job.logFilename);
      r.p.done();
    }
  }
}
