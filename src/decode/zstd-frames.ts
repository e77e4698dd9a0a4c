/**
 * Zstandard bodies of any number of frames (as the reference's multi-frame reader reads them),
 * decoded with fzstd but never trusted with a header: fzstd allocates whatever size a frame
 * header declares (up to 2 GB) and fills a declared size with zeros when the frame carries
 * less. So each frame's header and block headers are read first (RFC 8878 §3.1), which bounds
 * what the frame can make; a frame that could pass the limit is refused before anything is
 * allocated, and a frame whose output differs from its declared size is an error, as in
 * Python's zstandard.
 */
import { decompress } from "fzstd";
import { BodyTooLargeError } from "./limits.js";
import { PayloadError } from "../errors.js";

export class ZstdError extends PayloadError {
  readonly code: string = "PAYLOAD_ZSTD";
  override name = "ZstdError";
}

const MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;

interface FrameBounds {
  /** Bytes of the whole frame, header to checksum. */
  length: number;
  /** The size the header declares, if it does. */
  contentSize?: number;
  /** The most the blocks can make. */
  maxOutput: number;
  windowSize: number;
}

/** All frames decoded and joined; throws BodyTooLargeError past `limit` bytes. */
export function zstdFrames(body: Buffer, limit: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  let at = 0;
  while (at < body.length) {
    if (body.length - at < 4) throw new ZstdError(`truncated frame at byte ${at}`);
    const magic = body.readUInt32LE(at);
    // Skippable frames (0x184D2A50-5F): a size, then data no decoder reads.
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      if (body.length - at < 8) throw new ZstdError(`truncated skippable frame at byte ${at}`);
      at += 8 + body.readUInt32LE(at + 4);
      if (at > body.length) throw new ZstdError("truncated skippable frame");
      continue;
    }
    if (magic !== MAGIC) throw new ZstdError(`not a Zstandard frame at byte ${at} (magic 0x${magic.toString(16)})`);
    const frame = bounds(body, at);
    const room = limit - total;
    const allocation = frame.contentSize ?? frame.windowSize;
    if (frame.maxOutput > room || allocation > room)
      throw new BodyTooLargeError(limit, `a Zstandard frame at byte ${at} could make ${Math.max(frame.maxOutput, allocation)} bytes, after ${total} already decoded`);
    // fzstd would hand back the declared size, zero-filled: refuse what the blocks cannot make.
    if (frame.contentSize !== undefined && frame.contentSize > frame.maxOutput)
      throw new ZstdError(`frame at byte ${at} declares ${frame.contentSize} bytes but its blocks make at most ${frame.maxOutput}`);
    const out = decompress(body.subarray(at, at + frame.length));
    if (frame.contentSize !== undefined && out.length !== frame.contentSize)
      throw new ZstdError(`frame at byte ${at} declares ${frame.contentSize} bytes but its blocks make ${out.length}`);
    parts.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    total += out.length;
    at += frame.length;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

/** Reads a frame's header and walks its block headers (no decoding). */
function bounds(body: Buffer, start: number): FrameBounds {
  const need = (n: number, at: number) => {
    if (at + n > body.length) throw new ZstdError(`truncated frame starting at byte ${start}`);
  };
  let at = start + 4;
  need(1, at);
  const descriptor = body[at++];
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  if (descriptor & 0x08) throw new ZstdError("reserved bit set in frame header");
  const checksum = (descriptor >> 2) & 1;
  const dictBytes = [0, 1, 2, 4][descriptor & 3];
  let windowSize = 0;
  if (!singleSegment) {
    need(1, at);
    const w = body[at++];
    const base = 2 ** (10 + (w >> 3));
    windowSize = base + (base / 8) * (w & 7);
  }
  at += dictBytes;
  const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  need(fcsBytes, at);
  let contentSize: number | undefined;
  if (fcsBytes === 1) contentSize = body[at];
  else if (fcsBytes === 2) contentSize = body.readUInt16LE(at) + 256;
  else if (fcsBytes === 4) contentSize = body.readUInt32LE(at);
  else if (fcsBytes === 8) contentSize = body.readUInt32LE(at) + body.readUInt32LE(at + 4) * 2 ** 32;
  at += fcsBytes;
  if (singleSegment) windowSize = contentSize!;
  const blockMax = Math.min(windowSize, BLOCK_MAX);
  let maxOutput = 0;
  for (;;) {
    need(3, at);
    const header = body[at] | (body[at + 1] << 8) | (body[at + 2] << 16);
    at += 3;
    const last = header & 1;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    if (type === 3) throw new ZstdError("reserved block type");
    if (type === 1) {
      // RLE: one byte, repeated `size` times.
      need(1, at);
      at += 1;
      maxOutput += size;
    } else {
      need(size, at);
      at += size;
      maxOutput += type === 0 ? size : blockMax;
    }
    if (last) break;
  }
  if (checksum) {
    need(4, at);
    at += 4;
  }
  return { length: at - start, ...(contentSize !== undefined ? { contentSize } : {}), maxOutput, windowSize };
}
