import type { RawHeaders } from "../model/headers.js";

/** Where a request goes next. */
export interface Destination {
  scheme: "http" | "https";
  host: string;
  port: number;
}

/** A request as a listener received it, body complete. */
export interface Incoming {
  interface: string;
  method: string;
  /** Request target: path and query (origin form, also for proxied absolute-form requests). */
  target: string;
  headers: RawHeaders;
  body: Buffer;
  startMicros: number;
  /** For proxy listeners: the CONNECT target, or the absolute-form request's origin. */
  destination?: Destination;
}

/** An HTTP answer for the client. */
export interface Answer {
  statusCode: number;
  headers: RawHeaders;
  body: Buffer;
}

/**
 * What an interface does with a request: forward it, or answer it itself. `host`/`port` are
 * what the dump shows as where the request went.
 */
export type Decision =
  | { kind: "forward"; to: Destination }
  | { kind: "answer"; answer: Answer; host: string; port: number; error?: string }
  /**
   * The mocked backend: nothing leaves the machine. A mock (hooks.answerLocally) answers if one
   * matches, else `otherwise`; the dump still says the request went to `to`.
   */
  | { kind: "local"; to: Destination; otherwise: Answer };

/** Hooks through which the mock API changes answers (see src/mocks/). */
export interface ExchangeHooks {
  /**
   * Answer without forwarding (backend mocks); undefined to go on. Given the decision so that a
   * hook can tell which requests it may answer (backend mocks: only "local" decisions).
   */
  answerLocally?(incoming: Incoming, decision: Decision): Answer | undefined;
  /** Change the upstream's answer before the client sees it (tracer mocks). */
  editAnswer?(incoming: Incoming, answer: Answer): Answer;
}

export function textAnswer(statusCode: number, text: string, contentType = "text/plain; charset=utf-8"): Answer {
  const body = Buffer.from(text);
  return { statusCode, headers: [["Content-Type", contentType], ["Content-Length", String(body.length)]], body };
}
