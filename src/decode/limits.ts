/**
 * What st-proxy decodes at most, so that no body — a decompression bomb, a huge undecodable
 * blob — can exhaust memory or stall the process. Past a limit, decoding stops and the dump
 * says why; the body is still forwarded untouched and kept whole in the flow record.
 */
import { PayloadError } from "../errors.js";

/** Default for --max-body-size: far above anything a tracer sends, far below what would hurt. */
export const DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024;

/** Bytes of an undecodable body shown in the dump's raw_content (the reference wrote them all). */
export const MAX_RAW_CONTENT_BYTES = 256 * 1024;

/** The decoded body would pass the limit: decoding stopped there. */
export class BodyTooLargeError extends PayloadError {
  readonly code: string = "PAYLOAD_TOO_LARGE";
  override name = "BodyTooLargeError";
  constructor(
    readonly limit: number,
    detail: string,
  ) {
    super(`the decoded body would pass the limit of ${limit} bytes (--max-body-size): ${detail}`);
  }
}

/**
 * Values (numbers, strings, lists, maps...) a body may decode to. A decoded tree costs tens of
 * bytes per value whatever the body's size on the wire, so this, not the byte size, bounds the
 * memory a decoding takes: 4 million values is twice a 2 MB trace payload's worth several
 * times over, and at most a few hundred MB of heap. A body past it is recorded undecoded.
 * (A V8 heap limit on the recording thread is no bound: on Node 26 a worker at its limit
 * thrashes or takes the whole process down instead of stopping.)
 */
export const MAX_DECODED_VALUES = 4_000_000;

export class TooManyValuesError extends BodyTooLargeError {
  override name = "TooManyValuesError";
  override readonly code: string = "PAYLOAD_TOO_MANY_VALUES";
  constructor(what: string) {
    super(0, "");
    this.message = `the body would decode to more than ${MAX_DECODED_VALUES} values (${what}): it is recorded undecoded, so that decoding it cannot exhaust memory`;
  }
}
