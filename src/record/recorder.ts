import { dirname, join } from "node:path";
import { writePythonJsonBytes } from "../json/write.js";
import { buildDump, dumpFilename, filesDirFor } from "./dump.js";
import { splitTarget, type Exchange } from "./exchange.js";
import { foldHeaders } from "./headers.js";
import { pythonIsoTimestamp } from "./time.js";
import { bytesRepr } from "../decode/python-repr.js";
import { toFlowRecord } from "./flow.js";
import { AtomicWriter } from "./atomic-write.js";
import { flowsDir, stagingDir } from "./layout.js";
import type { Scrubber } from "./scrub.js";

export interface RecorderOptions {
  logFolder: string;
  scrubber: Scrubber;
  /** Also keep the raw exchange as a flow record under <log folder>/interfaces/.st-proxy/flows/<interface>/. */
  flows: boolean;
}

/**
 * Turns each finished exchange into its numbered dump (and flow record): one counter per
 * interface, from 0, no gaps, no duplicates; every file written atomically and scrubbed.
 */
export class Recorder {
  private readonly counters = new Map<string, number>();
  private readonly writer: AtomicWriter;
  private failures = 0;

  constructor(private readonly options: RecorderOptions) {
    // Staging lives beside the dumps (inside interfaces/), so the final rename never crosses file systems.
    this.writer = new AtomicWriter(stagingDir(options.logFolder));
  }

  get writeFailures(): number {
    return this.failures;
  }

  /** Records one exchange; returns the dump's path. Never throws for a payload. */
  record(ex: Exchange): string {
    const { logFilename } = this.reserveNumbered(ex);
    this.recordAs(ex, logFilename);
    return logFilename;
  }

  /** Takes the next number of the exchange's interface, and so its dump's path. */
  reserveNumbered(ex: Exchange): { counter: number; logFilename: string } {
    const counter = this.counters.get(ex.interface) ?? 0;
    this.counters.set(ex.interface, counter + 1);
    return { counter, logFilename: dumpFilename(this.options.logFolder, ex.interface, counter, ex.path) };
  }

  /** Counts a write failure that happened elsewhere (a recording thread). */
  countFailure(): void {
    this.failures++;
  }

  /**
   * Records one exchange under a dump path the caller chose (replay keeps the recorded names);
   * false when a file could not be written. Never throws for a payload.
   */
  recordAs(ex: Exchange, logFilename: string): boolean {
    const { ok, staged } = this.recordStaged(ex, logFilename);
    return staged === undefined ? ok : this.publishDump(staged, logFilename) && ok;
  }

  /**
   * recordAs but for the dump's final rename: the dump is left staged (its staging file named
   * in `staged`), for publishDump to put in place, so that a caller recording on several
   * threads can make the dumps appear in number order.
   */
  recordStaged(ex: Exchange, logFilename: string): { ok: boolean; staged?: string } {
    let writes;
    try {
      writes = this.plan(ex, logFilename);
    } catch (error) {
      return { ok: this.failed(logFilename, error) };
    }
    const dump = writes.pop()!;
    // Each file on its own: a flow record or an exported file that cannot be written must not
    // cost the dump (a gap in the numbering the tests container would see).
    let ok = true;
    for (const w of writes) {
      try {
        this.writer.write(w.path, w.dir, w.data);
      } catch (error) {
        ok = this.failed(w.path, error);
      }
    }
    try {
      return { ok, staged: this.writer.stage(dump.data) };
    } catch (error) {
      return { ok: this.failed(logFilename, error) };
    }
  }

  /** Puts a staged dump in place; false (reported) when it cannot be. */
  publishDump(staged: string, logFilename: string): boolean {
    try {
      this.writer.publish(staged, logFilename, dirname(logFilename));
      return true;
    } catch (error) {
      return this.failed(logFilename, error);
    }
  }

  private failed(logFilename: string, error: unknown): false {
    this.failures++;
    console.error(`st-proxy: could not write ${logFilename}: ${(error as Error).stack ?? error}`);
    return false;
  }

  /** The files one exchange makes, scrubbed, the dump last (so what it names exists before it). */
  private plan(ex: Exchange, logFilename: string): { path: string; dir: string; data: string | Buffer }[] {
    const { logFolder, scrubber } = this.options;
    const dir = dirname(logFilename);
    const { dump, files } = this.safeDump(ex, logFilename);
    const writes: { path: string; dir: string; data: string | Buffer }[] = files.map((file) => ({ path: file.path, dir: dirname(file.path), data: scrubber.active ? scrubber.bytes(file.data) : file.data }));
    if (this.options.flows) {
      const flowDir = join(flowsDir(logFolder), ex.interface);
      const flowPath = join(flowDir, logFilename.slice(dir.length + 1).replace(/\.json$/, ".flow.json"));
      writes.push({ path: flowPath, dir: flowDir, data: scrubber.text(JSON.stringify(toFlowRecord(this.scrubExchange(ex), logFilename))) });
    }
    writes.push({ path: logFilename, dir, data: scrubber.bytes(writePythonJsonBytes(dump)) });
    return writes;
  }

  /** buildDump does not throw for a payload; if st-proxy itself has a bug, still write a dump. */
  private safeDump(ex: Exchange, logFilename: string): ReturnType<typeof buildDump> {
    try {
      return buildDump(ex, logFilename, filesDirFor(this.options.logFolder, ex.interface));
    } catch (error) {
      const traceback = `st-proxy failed to build this dump: ${(error as Error).stack ?? error}`;
      const { path, query } = splitTarget(ex.path);
      const side = (body: Buffer) => ({ length: body.length, raw_content: bytesRepr(body), traceback });
      return {
        dump: {
          log_filename: logFilename, path, query, host: ex.host, port: ex.port, method: ex.method,
          request: { timestamp_start: pythonIsoTimestamp(ex.startMicros), headers: foldHeaders(ex.request.headers), ...side(ex.request.body) },
          response: ex.response && { status_code: ex.response.statusCode, headers: foldHeaders(ex.response.headers), ...side(ex.response.body) },
        },
        files: [],
      };
    }
  }

  private scrubExchange(ex: Exchange): Exchange {
    const s = this.options.scrubber;
    if (!s.active) return ex;
    const headers = (h: [string, string][]) => h.map(([n, v]) => [n, s.text(v)] as [string, string]);
    return {
      ...ex,
      path: s.text(ex.path),
      request: { headers: headers(ex.request.headers), body: s.bytes(ex.request.body) },
      response: ex.response && { ...ex.response, headers: headers(ex.response.headers), body: s.bytes(ex.response.body) },
    };
  }
}
