import { describeUpstreamError, type Upstream } from "../forward/upstream.js";
import type { Exchange } from "../model/exchange.js";
import { compareResponse, type ResponseComparison } from "./compare.js";

export interface SendOptions {
  /** scheme://host:port */
  origin: string;
  upstream: Upstream;
  /** Wait between requests as long as the recording did (never less than the answer takes). */
  pace: boolean;
  onResult?: (result: SendResult) => void;
}

export interface SendResult {
  name: string;
  method: string;
  target: string;
  recordedStatus: number | null;
  /** The new answer's status; absent when the request failed. */
  status?: number;
  error?: string;
  comparison?: ResponseComparison;
}

/** Request headers that name the recorded connection, not the message: the target gets its own. */
const NOT_RESENT = new Set(["host"]);

/**
 * `replay send`: re-sends recorded requests one after the other, in recorded order (each waits
 * for the previous answer), and compares every answer with the recorded one.
 */
export async function sendRecorded(records: { name: string; exchange: Exchange }[], options: SendOptions): Promise<SendResult[]> {
  const results: SendResult[] = [];
  const firstStart = records[0]?.exchange.startMicros ?? 0;
  const began = performance.now();
  for (const { name, exchange } of records) {
    if (options.pace) {
      const due = (exchange.startMicros - firstStart) / 1000 - (performance.now() - began);
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    }
    const result: SendResult = { name, method: exchange.method, target: exchange.path, recordedStatus: exchange.response?.statusCode ?? null };
    try {
      const answer = await options.upstream.send({
        origin: options.origin,
        method: exchange.method,
        path: exchange.path,
        headers: exchange.request.headers.filter(([n]) => !NOT_RESENT.has(n.toLowerCase())),
        body: exchange.request.body,
      });
      result.status = answer.statusCode;
      result.comparison = compareResponse(exchange, answer);
    } catch (error) {
      result.error = describeUpstreamError(options.origin, error);
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
