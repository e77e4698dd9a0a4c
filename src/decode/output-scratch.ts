import type { V04Renderer } from "./traces-v04-text.js";

/**
 * The memory a renderer writes into instead of allocating some per body. The dump writer keeps
 * one per thread and writes each dump before it decodes the next exchange: a rendered text
 * viewing the scratch is valid until the scratch is used again. (One fresh buffer per body was
 * most of the external memory allocated per exchange, and V8 answers external memory with full
 * GCs.)
 */
export class OutputScratch {
  /** The v0.4 renderer's instance (its WebAssembly memory holds input, work and output). */
  v04?: V04Renderer;

  /** A renderer whose memory grew past this many bytes is dropped: one huge body must not hold its memory for good. */
  constructor(readonly keepUpTo = 32 * 1024 * 1024) {}
}
