/**
 * A buffer a renderer writes into instead of allocating one per body. The dump writer keeps one
 * per thread and writes each dump before it decodes the next exchange: a rendered text viewing
 * the scratch is valid until the scratch is used again. (One fresh buffer per body was most of
 * the external memory allocated per exchange, and V8 answers external memory with full GCs.)
 */
export class OutputScratch {
  private kept?: Buffer;

  /** Buffers larger than this are not kept: one huge body must not hold its memory for good. */
  constructor(private readonly keepUpTo = 8 * 1024 * 1024) {}

  /** A buffer of at least `size` bytes: the kept one when it is large enough. */
  take(size: number): Buffer {
    return this.kept && this.kept.length >= size ? this.kept : Buffer.allocUnsafe(size);
  }

  /** The buffer a render ended in (take's, or a larger one it grew to), kept for the next. */
  keep(buffer: Buffer): void {
    if (buffer.length <= this.keepUpTo && (!this.kept || buffer.length > this.kept.length)) this.kept = buffer;
  }
}
