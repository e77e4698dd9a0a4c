/**
 * Content-Encoding, as the reference undoes it (mitmproxy 9's net/encoding.py, plus the
 * reference's own multi-frame zstd reader): gzip, deflate (zlib, else raw), br, identity /
 * none, zstd (every concatenated frame), and any other name through Python's codecs module,
 * where only the bytes-to-bytes codecs give bytes (a text codec gives str, which mitmproxy
 * refuses). The whole header value is one name: "gzip, br" is unknown, as there.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { decompress as zstdDecompress } from "fzstd";
import { a2bBase64 } from "./python-base64.js";

export class ContentEncodingError extends Error {
  override name = "ContentEncodingError";
}

type Decoder = (body: Buffer) => Buffer;

const identity: Decoder = (body) => body;

function deflate(body: Buffer): Buffer {
  try {
    return inflateSync(body);
  } catch {
    // Servers sometimes send raw deflate, without the zlib header and checksum.
    return inflateRawSync(body);
  }
}

function zstd(body: Buffer): Buffer {
  const out = zstdDecompress(body);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Python's bytes-to-bytes codecs, by module name (encodings/<name>.py). */
const PYTHON_CODECS: Record<string, Decoder | undefined> = {
  base64_codec: (body) => a2bBase64(body),
  hex_codec: (body) => {
    const text = body.toString("latin1");
    if (text.length % 2) throw new ContentEncodingError("Odd-length string");
    if (!HEX.test(text)) throw new ContentEncodingError("Non-hexadecimal digit found");
    return Buffer.from(text, "hex");
  },
  zlib_codec: (body) => inflateSync(body),
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
  gzip: (body) => gunzipSync(body),
  deflate,
  deflateraw: deflate,
  br: (body) => brotliDecompressSync(body),
  zstd,
};

/**
 * The body with its Content-Encoding undone; the body itself when there is none.
 * Throws ContentEncodingError (or the codec's error) when it cannot be decoded.
 */
export function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined): Buffer {
  if (!contentEncoding) return body;
  const name = contentEncoding.toLowerCase();
  const known = Object.hasOwn(DECODERS, name);
  // mitmproxy's own decoders return b"" for an empty body; a name left to Python's codecs is
  // still looked up first (an unknown one fails even then).
  const decoder = known ? DECODERS[name] : pythonCodec(name);
  if (known && body.length === 0) return body;
  try {
    return decoder(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContentEncodingError(`cannot decode the body with Content-Encoding ${JSON.stringify(contentEncoding)}: ${reason}`, { cause: error });
  }
}
