/**
 * What st-proxy decodes at most, so that no body — a decompression bomb, a huge undecodable
 * blob — can exhaust memory or stall the process. Past a limit, decoding stops and the dump
 * says why; the body is still forwarded untouched and kept whole in the flow record.
 */

/** Default for --max-body-size: far above anything a tracer sends, far below what would hurt. */
export const DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024;

/** Bytes of an undecodable body shown in the dump's raw_content (the reference wrote them all). */
export const MAX_RAW_CONTENT_BYTES = 1024 * 1024;

/** The decoded body would pass the limit: decoding stopped there. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(
    readonly limit: number,
    detail: string,
  ) {
    super(`the decoded body would pass the limit of ${limit} bytes (--max-body-size): ${detail}`);
  }
}
