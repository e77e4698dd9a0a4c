/**
 * st-proxy's errors, each with a stable `code` that callers and tests test instead of the
 * message. Two kinds matter when recording: a payload st-proxy cannot decode is the sender's
 * fault and goes into the dump as its traceback, as the reference records it; a defect is
 * st-proxy's own failure, still recorded so that nothing is lost, but also reported on stderr
 * and counted (src/record/recorder.ts) so that a test run can fail on it.
 *
 * `name` stays each class's own (often Python's exception name): tracebacks in the dumps
 * show it, so it is part of the dump format.
 */
export abstract class StProxyError extends Error {
  abstract readonly code: string;
}

/** A body that is not what it claims to be: recorded as the dump's traceback. */
export abstract class PayloadError extends StProxyError {}

/** st-proxy itself failed (not the payload). */
export class DefectError extends StProxyError {
  override name = "DefectError";
  readonly code = "DEFECT";
}
