import type { RawHeaders } from "./headers.js";

/**
 * One HTTP exchange as it crossed st-proxy, bodies exactly as on the wire (still compressed).
 * Listeners build it, the recorder turns it into a dump and a flow record, replay reads it back.
 */
export interface Exchange {
  /** The interface (listener) it arrived on: library, agent, open_telemetry, ... */
  interface: string;
  method: string;
  /** Request target as sent, query string included. */
  path: string;
  /** Where it went (forward target; for CONNECT tunnels the CONNECT target). */
  host: string;
  port: number;
  /** Start of the request, microseconds since the epoch. */
  startMicros: number;
  request: { headers: RawHeaders; body: Buffer };
  /** null when no answer came (upstream dropped, client gone). */
  response: { statusCode: number; headers: RawHeaders; body: Buffer } | null;
  /** Set when the exchange was killed after the response arrived (mitmproxy's notion). */
  killed?: boolean;
  /** Why the response is missing or was made up by st-proxy (e.g. upstream refused). */
  error?: string;
}

export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf("?");
  return q < 0 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}
