import { constants } from "node:buffer";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { decodeContentEncoding } from "../decode/encoding.js";
import type { Answer, Incoming } from "../proxy/types.js";
import type { RawHeaders } from "../model/headers.js";
import { headerValue } from "../model/headers.js";

/**
 * An answer being edited by tracer mocks, with the message semantics the reference relies on
 * (mitmproxy's): `content` is the body with its Content-Encoding undone; setting it encodes it
 * again and updates Content-Length; setting a header replaces every value of that name.
 */
export class EditableAnswer {
  statusCode: number;
  headers: RawHeaders;
  body: Buffer;

  constructor(answer: Answer) {
    this.statusCode = answer.statusCode;
    this.headers = answer.headers.map(([n, v]) => [n, v]);
    this.body = answer.body;
  }

  toAnswer(): Answer {
    return { statusCode: this.statusCode, headers: this.headers, body: this.body };
  }

  get content(): Buffer {
    return decodeBody(this.body, headerValue(this.headers, "content-encoding"));
  }

  set content(value: Buffer) {
    const encoding = headerValue(this.headers, "content-encoding");
    const encoded = encodeBody(value, encoding);
    if (encoded === undefined) {
      // An encoding st-proxy cannot produce: send the body plain and say so.
      this.deleteHeader("content-encoding");
      this.body = value;
    } else this.body = encoded;
    // A Content-Length beside Transfer-Encoding is not allowed (RFC 9112 §6.2).
    if (headerValue(this.headers, "transfer-encoding") === undefined) this.setHeader("content-length", String(this.body.length));
  }

  /** The first header of that name keeps its place and spelling; later repeats go; else appended. */
  setHeader(name: string, value: string): void {
    const key = name.toLowerCase();
    const out: RawHeaders = [];
    let placed = false;
    for (const [n, v] of this.headers) {
      if (n.toLowerCase() !== key) out.push([n, v]);
      else if (!placed) {
        out.push([n, value]);
        placed = true;
      }
    }
    if (!placed) out.push([name, value]);
    this.headers = out;
  }

  deleteHeader(name: string): void {
    const key = name.toLowerCase();
    this.headers = this.headers.filter(([n]) => n.toLowerCase() !== key);
  }
}

/** The request body with its Content-Encoding undone (what the reference's `request.content` is). */
export function requestContent(incoming: Incoming): Buffer {
  return decodeBody(incoming.body, headerValue(incoming.headers, "content-encoding"));
}

/**
 * The encodings whose body mocks see decoded (decode/encoding.ts does the decoding, unbounded
 * here: the answer is already in memory). Any other, like a body that does not decode, is
 * taken as it is, as mitmproxy's `content` falls back; unlike the dump's decoding, which fails
 * there, knows Python's codecs (base64, hex...) and has a size limit.
 */
const EDITABLE_ENCODINGS: Readonly<Record<string, string>> = { gzip: "gzip", "x-gzip": "gzip", br: "br", zstd: "zstd", deflate: "deflate" };

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  const e = encoding?.trim().toLowerCase() ?? "";
  if (!Object.hasOwn(EDITABLE_ENCODINGS, e)) return body;
  try {
    return decodeContentEncoding(body, EDITABLE_ENCODINGS[e], constants.MAX_LENGTH);
  } catch {
    return body;
  }
}

function encodeBody(content: Buffer, encoding: string | undefined): Buffer | undefined {
  const e = encoding?.trim().toLowerCase();
  if (!e || e === "identity") return content;
  if (e === "gzip" || e === "x-gzip") return gzipSync(content);
  if (e === "br") return brotliCompressSync(content);
  if (e === "deflate") return deflateSync(content);
  return undefined;
}
