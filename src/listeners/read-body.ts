import type { IncomingMessage } from "node:http";
import { releaseBuffer } from "../model/buffers.js";

// A declared size past this is not believed enough to allocate it at once.
const PREALLOCATE_AT_MOST = 64 * 1024 * 1024;

/**
 * A request body as it arrives: into one buffer of the declared Content-Length when there is
 * one (no list of chunks to join, which held every large body twice for a moment; Node's parser
 * never delivers more than declared), else chunks joined at the end. The one body reader of
 * every listener (proxies, mock API, lambda proxy). The buffer is made when the first bytes
 * arrive, not before: a request waiting for its turn to be read (see InFlightBodies) holds no
 * memory for its body.
 */
export class BodyReader {
  private whole: Buffer | undefined;
  private readonly chunks: Buffer[] = [];
  size = 0;

  constructor(readonly declared: number) {}

  static for(req: IncomingMessage): BodyReader {
    return new BodyReader(Number(req.headers["content-length"] ?? 0) || 0);
  }

  /** Takes a chunk the stream is done with: once copied into the body, its memory is given back. */
  push(chunk: Buffer): void {
    if (this.size === 0 && !this.whole && this.chunks.length === 0 && this.declared > 0 && this.declared <= PREALLOCATE_AT_MOST) this.whole = Buffer.allocUnsafe(this.declared);
    if (this.whole && this.size + chunk.length <= this.whole.length) {
      chunk.copy(this.whole, this.size);
      this.size += chunk.length;
      // Node's parser copies each body chunk into a buffer of its own: 32 per 2 MB body, dead
      // at once, otherwise held until the next collection.
      releaseBuffer(chunk);
      return;
    }
    if (this.whole) this.chunks.push(this.whole.subarray(0, this.size));
    this.whole = undefined;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The body so far (all of it once the request has ended). */
  body(): Buffer {
    if (this.whole) return this.whole.subarray(0, this.size);
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
  }
}

/** A request's whole body; rejects when the client breaks off before its end. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const reader = BodyReader.for(req);
    req.on("data", (chunk: Buffer) => reader.push(chunk));
    req.once("end", () => resolve(reader.body()));
    req.once("error", reject);
    req.once("aborted", () => reject(new Error("request aborted")));
  });
}
