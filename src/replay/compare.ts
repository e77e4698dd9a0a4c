import { isDeepStrictEqual } from "node:util";
import { decodeMessage } from "../decode/index.js";
import { splitTarget, type Exchange } from "../model/exchange.js";
import { foldHeaders, type RawHeaders } from "../model/headers.js";

export interface ResponseComparison {
  sameStatus: boolean;
  sameBody: boolean;
  /** One line for people, when something differs. */
  detail?: string;
}

/**
 * Compares a new answer with the recorded one: status code, and body as the dump shows it
 * (decoded: the same traces in another compression or key order are the same). A body that
 * cannot be decoded is compared byte for byte.
 */
export function compareResponse(recorded: Exchange, now: { statusCode: number; headers: RawHeaders; body: Buffer }): ResponseComparison {
  const before = recorded.response;
  if (!before) return { sameStatus: false, sameBody: false, detail: `recorded no response, got ${now.statusCode}` };
  const sameStatus = before.statusCode === now.statusCode;
  const decodeSide = (r: { statusCode: number; headers: RawHeaders; body: Buffer }) =>
    decodeMessage(
      { side: "response", interface: recorded.interface, method: recorded.method, path: splitTarget(recorded.path).path, headers: foldHeaders(r.headers), statusCode: r.statusCode, body: r.body },
      { filesDir: "files" },
    );
  const a = decodeSide(before);
  const b = decodeSide(now);
  const sameBody = a.traceback === undefined && b.traceback === undefined ? isDeepStrictEqual(a.content, b.content) : before.body.equals(now.body);
  const differences = [
    ...(sameStatus ? [] : [`status ${before.statusCode} → ${now.statusCode}`]),
    ...(sameBody ? [] : [`body differs (${a.length} → ${b.length} bytes decoded)`]),
  ];
  return { sameStatus, sameBody, ...(differences.length ? { detail: differences.join("; ") } : {}) };
}
