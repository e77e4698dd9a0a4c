import { Worker } from "node:worker_threads";
import type { Exchange } from "./exchange.js";
import { Recorder, type RecorderOptions } from "./recorder.js";
import type { ExchangeSink } from "./sink.js";
import type { ThreadJob, ThreadSetup } from "./recording-thread.js";

interface Pending {
  job: ThreadJob;
  done: () => void;
}

/**
 * Records on worker threads, so that decoding a large payload never holds up the listeners:
 * the event loop only numbers the exchange (counters stay here, so numbering is still gapless
 * and in answer order) and waits for the thread to say the dump is written. A thread that
 * dies takes nothing with it: its pending exchanges are recorded here instead.
 */
export class ThreadedRecorder implements ExchangeSink {
  private readonly local: Recorder;
  private readonly threads: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 0;
  private turn = 0;
  private closed = false;

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
    const logFilename = this.local.reserve(ex);
    const thread = this.threads[this.turn++ % this.threads.length];
    const job: ThreadJob = { id: this.nextId++, ex, logFilename };
    return new Promise((resolve) => {
      thread.pending.set(job.id, { job, done: resolve });
      thread.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(): { worker: Worker; pending: Map<number, Pending> } {
    const setup: ThreadSetup = { logFolder: this.options.logFolder, secrets: this.options.secrets, flows: this.options.flows };
    // Under tsx (tests importing the sources) the thread runs the .ts file; built, the .js one.
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const worker = new Worker(new URL(`./recording-thread${ext}`, import.meta.url), { workerData: setup });
    const thread = { worker, pending: new Map<number, Pending>() };
    worker.unref();
    worker.on("message", ({ id, ok }: { id: number; ok: boolean }) => {
      const p = thread.pending.get(id);
      if (!p) return;
      thread.pending.delete(id);
      if (!ok) this.local.countFailure();
      p.done();
    });
    let dead = false;
    const takeOver = (why: string) => {
      if (this.closed || dead) return;
      dead = true;
      console.error(`st-proxy: a recording thread stopped (${why}); its ${thread.pending.size} pending exchange(s) are recorded on the main thread`);
      for (const p of thread.pending.values()) {
        this.local.recordAs(p.job.ex, p.job.logFilename);
        p.done();
      }
      thread.pending.clear();
      const index = this.threads.indexOf(thread);
      if (index >= 0) this.threads[index] = this.spawn();
    };
    worker.on("error", (error) => takeOver(error.message));
    worker.on("exit", (code) => takeOver(`exit code ${code}`));
    return thread;
  }
}
