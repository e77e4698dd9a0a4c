/**
 * The hot path of a test run: a tracer's v0.4 or v0.5 trace payload (msgpack) rendered straight to the
 * text of the dump (Python's json.dump, indent 2), in one pass over the bytes, with no object
 * tree in between. The output is exactly what the tree path writes (unpack → unsigned span ids
 * → meta expansion → writePythonJson), for the shapes tracers send: a list of lists of span
 * maps with str keys. Anything else — bin or ext values, keys that are not str, keys a
 * JavaScript object would reorder (integer-like) or that repeat, meta values the reference
 * expands (`_dd.appsec.*`, `_dd.iast.json`, `metaStruct`), truncated or trailing bytes, deep
 * nesting — returns undefined, and the caller takes the tree path, which knows every corner.
 * A v0.5 payload (a string table, spans as arrays of 12 fields) is written as the tree path
 * expands it (expandTracesV05, then the same rules), with the same way out.
 *
 * The loop itself is WebAssembly (wasm/traces-text.as.ts, built by `npm run build`): strings
 * checked and copied 16 bytes at a time. This module lays out its memory, and writes the two
 * rare things the loop hands back: floats (Python's repr) and strings that need escaping.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { pythonFloatRepr, pythonNumber } from "../json/write.js";
import type { OutputScratch } from "./output-scratch.js";

export interface TracesRenderOptions {
  /** Expand JSON nested in span meta (the reference does it for the main library only). */
  expandMeta: boolean;
  /** Nesting depth at which the value sits in the dump (request.content: 2). */
  depth: number;
  /** The body is a v0.5 payload (string table + spans as arrays), written as the tree path expands it. */
  v05?: boolean;
}

const PAGE = 65536;
/** Room for the work stack (keys of the maps being written, hash tables of large maps): realistic payloads use a few KB; a body that needs more takes the tree path. */
const workLengthFor = (bodyLength: number, v05: boolean) => 64 * 1024 + (v05 ? bodyLength : bodyLength >> 2); // v0.5: 8 bytes a string-table entry
/** Read and write slack after the input and the output (16-byte loads and stores). */
const SLACK = 16;

let compiled: WebAssembly.Module | undefined;

/** The compiled loop, next to this module in dist/, or in dist/ when running from the sources. */
function wasmModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const candidates = ["./wasm/traces-text.wasm", "../../dist/decode/wasm/traces-text.wasm"].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const file = candidates.find((p) => existsSync(p));
  if (!file) throw new Error(`the trace renderer is not built (none of ${candidates.join(", ")}): run npm run build`);
  compiled = new WebAssembly.Module(readFileSync(file));
  return compiled;
}

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  roomWanted(): number;
  render(input: number, inputLength: number, work: number, workLength: number, output: number, outputLength: number, depth: number, expand: number, v05: number): number;
}

const NON_ASCII = /[\u007f-\uffff]/g;
const hex4 = (c: string) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");

/** A float as the writer prints it: whole ones as Python floats ("1.0"), the rest by repr. */
function floatText(v: number): string {
  if (Number.isInteger(v)) return pythonFloatRepr(v);
  return Number.isFinite(v) && Math.abs(v) >= 1e-4 ? String(v) : pythonNumber(v);
}

/**
 * One instance of the loop and its memory: [constants][input + slack][work][output + slack].
 * Its memory only grows (WebAssembly cannot give it back), up to `maxBytes`: a body that needs
 * more steps aside.
 */
export class TracesRenderer {
  private readonly exports: Exports;
  /** A view of the memory, made again when the memory grows (growing detaches the old one). */
  private view: Buffer;
  /** The end of the current render's output region: what the callbacks may write up to. */
  private limit = 0;

  /** @param maxBytes how large its memory may grow (WebAssembly's own limit is 4 GB). */
  constructor(private readonly maxBytes: number) {
    const instance = new WebAssembly.Instance(wasmModule(), {
      env: {
        float: (v: number, at: number) => this.write(floatText(v), at),
        escaped: (start: number, length: number, at: number, key: number) => {
          // Node's UTF-8 decoder replaces invalid sequences as Python's "replace" does (the tree path's rule).
          const quoted = JSON.stringify(this.view.toString("utf8", start, start + length)).replace(NON_ASCII, hex4);
          return this.write(key ? quoted + ": " : quoted, at);
        },
        abort: () => {
          throw new Error("trace renderer: abort");
        },
      },
    });
    this.exports = instance.exports as unknown as Exports;
    this.view = Buffer.from(this.exports.memory.buffer);
  }

  /** Bytes of memory this instance holds. */
  get size(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** A callback's text, within the room the loop made for it (else the tree path takes the body). */
  private write(text: string, at: number): number {
    if (at + text.length > this.limit) throw new Error("trace renderer: a callback's text overran its room");
    return at + this.view.write(text, at, "latin1");
  }

  /** Grows the memory to `bytes`; false when it cannot (past maxBytes or 4 GB, or no memory left): the tree path, with its limits, says what happens then. */
  private ensure(bytes: number): boolean {
    const have = this.exports.memory.buffer.byteLength;
    if (bytes <= have) return true;
    if (bytes > this.maxBytes) return false;
    try {
      this.exports.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return false;
    }
    this.view = Buffer.from(this.exports.memory.buffer);
    return true;
  }

  /** The text, viewing this instance's memory (valid until its next render), or undefined. */
  render(body: Buffer, options: TracesRenderOptions): Buffer | undefined {
    const align = (n: number) => (n + 15) & ~15;
    const input = this.exports.heapBase();
    const work = align(input + body.length + SLACK);
    const workLength = workLengthFor(body.length, options.v05 === true);
    const output = align(work + workLength);
    // Room for the usual expansion (indentation, quotes, digits of ids; v0.5 repeats its table's
    // strings: 8.5x for a dd-trace-shaped payload); more on request.
    let outputLength = body.length * (options.v05 ? 10 : 3) + 256;
    if (!this.ensure(output + outputLength + SLACK)) return undefined;
    this.view.set(body, input);
    for (;;) {
      try {
        this.limit = output + outputLength;
        const end = this.exports.render(input, body.length, work, workLength, output, outputLength, options.depth, options.expandMeta ? 1 : 0, options.v05 ? 1 : 0);
        return this.view.subarray(output, end);
      } catch (error) {
        // A trap: for room, or for the tree path (as is a callback's error).
        if (!(error instanceof WebAssembly.RuntimeError) || !this.exports.roomWanted()) return undefined;
        outputLength *= 2;
        if (!this.ensure(output + outputLength + SLACK)) return undefined;
      }
    }
  }
}

/**
 * The most memory an instance may hold (input, work, output): v0.4 bodies up to about 6 MB
 * render within it, v0.5 ones (whose text repeats the table's strings) up to about 2.5 MB; a
 * larger one, or one whose text grows past it, takes the tree path. An instance is kept for
 * good, so this bounds what it holds. (Instances that grew past a limit used to be dropped and
 * made anew: V8 does not hurry to collect WebAssembly memories, and the hostile-body soak found
 * 26 of them, 40 MB each, waiting at once.)
 */
export const RENDERER_MEMORY_LIMIT = 32 * 1024 * 1024;
let shared: TracesRenderer | undefined;

/**
 * The dump text of a v0.4 or v0.5 payload, or undefined when it needs the tree path. With a scratch,
 * the text views the scratch's renderer (valid until the scratch is used again); without,
 * it is a buffer of its own.
 */
export function renderTraces(body: Buffer, options: TracesRenderOptions, scratch?: OutputScratch): Buffer | undefined {
  if (scratch) return (scratch.renderer ??= new TracesRenderer(scratch.memoryLimit)).render(body, options);
  const text = (shared ??= new TracesRenderer(RENDERER_MEMORY_LIMIT)).render(body, options);
  return text && Buffer.from(text);
}
