/**
 * Content-Encoding, as the reference undoes it (mitmproxy 9's net/encoding.py, plus the
 * reference's own multi-frame zstd reader): gzip, deflate (zlib, else raw), br, identity /
 * none, zstd (every concatenated frame), and any other name through Python's codecs module,
 * where only the bytes-to-bytes codecs give bytes (a text codec gives str, which mitmproxy
 * refuses). The whole header value is one name: "gzip, br" is unknown, as there.
 */
import * as zlib from "node:zlib";
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { zstdFrames } from "./zstd-frames.js";
import { BodyTooLargeError, DEFAULT_MAX_BODY_SIZE } from "./limits.js";
import { a2bBase64 } from "./python-base64.js";
import { PayloadError } from "../errors.js";

export class ContentEncodingError extends PayloadError {
  readonly code: string = "PAYLOAD_CONTENT_ENCODING";
  override name = "ContentEncodingError";
}

type Decoder = (body: Buffer, limit: number) => Buffer;

const identity: Decoder = (body) => body;

/** zlib's own bound: past maxOutputLength it stops with ERR_BUFFER_TOO_LARGE. */
function bounded(run: (body: Buffer, options: zlib.ZlibOptions) => Buffer): Decoder {
  return (body, limit) => {
    try {
      return run(body, { maxOutputLength: limit });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new BodyTooLargeError(limit, (error as Error).message);
      throw error;
    }
  };
}

const gunzip = bounded((b, o) => gunzipSync(b, o));
const inflate = bounded((b, o) => inflateSync(b, o));
const inflateRaw = bounded((b, o) => inflateRawSync(b, o));
const brotli = bounded((b, o) => brotliDecompressSync(b, o));

function deflate(body: Buffer, limit: number): Buffer {
  try {
    return inflate(body, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    // Servers sometimes send raw deflate, without the zlib header and checksum.
    return inflateRaw(body, limit);
  }
}

// Node 22.15+ has zstd in zlib, bounded like the others; before it, fzstd behind a frame check.
const nativeZstd = (zlib as { zstdDecompressSync?: (b: Buffer, o: zlib.ZlibOptions) => Buffer }).zstdDecompressSync;
const zstd: Decoder = nativeZstd ? bounded((b, o) => nativeZstd(b, o)) : (body, limit) => zstdFrames(body, limit);

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Python's bytes-to-bytes codecs, by module name (encodings/<name>.py). */
const PYTHON_CODECS: Record<string, Decoder | undefined> = {
  // Each of these makes at most as many bytes as it reads.
  base64_codec: (body) => a2bBase64(body),
  hex_codec: (body) => {
    const text = body.toString("latin1");
    if (text.length % 2) throw new ContentEncodingError("Odd-length string");
    if (!HEX.test(text)) throw new ContentEncodingError("Non-hexadecimal digit found");
    return Buffer.from(text, "hex");
  },
  zlib_codec: (body, limit) => inflate(body, limit),
  // These exist in Python but no client sends them as a Content-Encoding; refusing them keeps
  // a body st-proxy does not decode from passing as decoded.
  bz2_codec: undefined,
  quopri_codec: undefined,
  uu_codec: undefined,
};

/** encodings/aliases.py, for the codecs above. */
const PYTHON_ALIASES: Record<string, string> = {
  base64: "base64_codec",
  base_64: "base64_codec",
  bz2: "bz2_codec",
  hex: "hex_codec",
  quopri: "quopri_codec",
  quoted_printable: "quopri_codec",
  quotedprintable: "quopri_codec",
  uu: "uu_codec",
  zip: "zlib_codec",
  zlib: "zlib_codec",
};

/** encodings.normalize_encoding: runs of other characters than letters, digits and "." become "_". */
function normalizeCodecName(name: string): string {
  return name
    .split(/[^\p{L}\p{N}.]+/u)
    .filter(Boolean)
    .join("_")
    .replace(/[^\x00-\x7f]/g, "");
}

function pythonCodec(name: string): Decoder {
  const norm = normalizeCodecName(name);
  const module = PYTHON_ALIASES[norm] ?? PYTHON_ALIASES[norm.replace(/\./g, "_")] ?? norm;
  if (Object.hasOwn(PYTHON_CODECS, module)) {
    const codec = PYTHON_CODECS[module];
    if (!codec) throw new ContentEncodingError(`Python codec ${module} is not supported by st-proxy`);
    return codec;
  }
  // Every other codec Python knows turns bytes into str, which mitmproxy refuses.
  throw new ContentEncodingError(`unknown or text-only encoding: ${name}`);
}

const DECODERS: Record<string, Decoder> = {
  none: identity,
  identity,
  gzip: gunzip,
  deflate,
  deflateraw: deflate,
  br: brotli,
  zstd,
};

/**
 * The body with its Content-Encoding undone; the body itself when there is none.
 * Throws BodyTooLargeError past `limit` decoded bytes (nothing larger is ever allocated), and
 * ContentEncodingError (or the codec's error) when it cannot be decoded.
 */
export function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, limit = DEFAULT_MAX_BODY_SIZE): Buffer {
  if (!contentEncoding) return body;
  const name = contentEncoding.toLowerCase();
  const known = Object.hasOwn(DECODERS, name);
  // mitmproxy's own decoders return b"" for an empty body; a name left to Python's codecs is
  // still looked up first (an unknown one fails even then).
  const decoder = known ? DECODERS[name] : pythonCodec(name);
  if (known && body.length === 0) return body;
  try {
    return decoder(body, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContentEncodingError(`cannot decode the body with Content-Encoding ${JSON.stringify(contentEncoding)}: ${reason}`, { cause: error });
  }
}
