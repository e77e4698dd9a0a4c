import { RENDERER_MEMORY_LIMIT, type TracesRenderer } from "./traces-text.js";

/**
 * The memory a renderer writes into instead of allocating some per body. The dump writer keeps
 * one per thread and writes each dump before it decodes the next exchange: a rendered text
 * viewing the scratch is valid until the scratch is used again. (One fresh buffer per body was
 * most of the external memory allocated per exchange, and V8 answers external memory with full
 * GCs.) One per thread: its memory is bounded by `memoryLimit`.
 */
export class OutputScratch {
  /** The trace renderer's instance (its WebAssembly memory holds input, work and output). */
  renderer?: TracesRenderer;

  /** The most memory its renderer may hold (it keeps it for good); a body that needs more takes the tree path. */
  constructor(readonly memoryLimit = RENDERER_MEMORY_LIMIT) {}
}
