import type { Json } from "../json/value.js";
import type { RawHeaders } from "../model/headers.js";
import type { OutputScratch } from "./output-scratch.js";

/** One side of an exchange, as the decoders see it: bytes and metadata, nothing of sockets. */
export interface MessageToDecode {
  side: "request" | "response";
  /** The interface it arrived on (library, agent, open_telemetry, ...). */
  interface: string;
  method: string;
  /** Request path without the query string (the same for both sides). */
  path: string;
  /** Folded headers of this side (see model/headers.ts foldHeaders). */
  headers: RawHeaders;
  /** Response status code (response side only). */
  statusCode?: number;
  /** The body exactly as on the wire: still content-encoded. */
  body: Buffer;
}

export interface DecodeContext {
  /**
   * Folder (as it will be written in the dump) where files carried in multipart bodies are
   * exported: `<log folder>/interfaces/<interface>/files`. Decoders only name files there;
   * the recorder writes them.
   */
  filesDir: string;
  /**
   * Set when the caller can take the decoded content as ready JSON text (the dump writer): the
   * nesting depth at which it goes. Routes that can render straight to text then do.
   */
  renderDepth?: number;
  /** Where a route rendering its content may write it (see OutputScratch: the text views it). */
  scratch?: OutputScratch;
  /** Bodies that are (or decompress to) more bytes than this are not decoded (--max-body-size). */
  maxBodySize?: number;
}

/** A file a decoder wants written next to the dumps (multipart attachments). */
export interface ExportedFile {
  /** Full path, under DecodeContext.filesDir. */
  path: string;
  data: Buffer;
}

/** What goes into the dump's request/response object, besides headers and status. */
export interface DecodedMessage {
  /** Length of the body after content decoding (0 when empty). */
  length: number;
  /** Present when decoding succeeded. */
  content?: Json;
  /** Instead of content, when the route rendered it as JSON text (see DecodeContext.renderDepth). */
  contentText?: Buffer;
  /** Both present (and content absent) when it failed: the body as Python's str(bytes), and why. */
  raw_content?: string;
  /** Instead of raw_content, its JSON string already rendered (see DecodeContext.renderDepth). */
  rawContentText?: Buffer;
  traceback?: string;
  /** Set when decoding stopped at a limit (--max-body-size): why, in one sentence. */
  limitHit?: string;
  files: ExportedFile[];
}
