import { createSecureContext, rootCertificates } from "node:tls";
import { Agent, type Dispatcher } from "undici";
import type { RawHeaders } from "../model/headers.js";
import { endToEndHeaders } from "./hop-by-hop.js";

export interface UpstreamRequest {
  /** scheme://host:port */
  origin: string;
  method: string;
  /** Request target: path and query. */
  path: string;
  headers: RawHeaders;
  body: Buffer;
}

export interface UpstreamResponse {
  statusCode: number;
  /** As the upstream sent them: original case and order. */
  headers: RawHeaders;
  body: Buffer;
}

export interface UpstreamOptions {
  /** Milliseconds to connect, and to wait for headers / between body chunks. */
  connectTimeout: number;
  responseTimeout: number;
  /** Extra CA certificates (PEM) trusted for https upstreams, besides the system ones. */
  ca?: string[];
}

/**
 * Sends requests on to their real destination with undici, keeping connections alive per
 * origin, and returns the answer with its raw headers (the dump shows them as sent).
 */
export class Upstream {
  private readonly agent: Agent;

  constructor(options: UpstreamOptions) {
    // A `ca` list replaces Node's trusted roots: keep them, the extra CAs come in addition. Made
    // into a context once: given as `ca`, every new connection parsed the ~150 roots again.
    const secureContext = options.ca?.length ? createSecureContext({ ca: [...rootCertificates, ...options.ca] }) : undefined;
    this.agent = new Agent({
      connect: { timeout: options.connectTimeout, ...(secureContext ? { secureContext } : {}), rejectUnauthorized: true },
      headersTimeout: options.responseTimeout,
      bodyTimeout: options.responseTimeout,
      keepAliveTimeout: 4_000,
      connections: 128,
      pipelining: 1,
    });
  }

  send(req: UpstreamRequest): Promise<UpstreamResponse> {
    // undici computes content-length itself; expect: 100-continue was already answered to the client.
    const headers: string[] = [];
    for (const [name, value] of endToEndHeaders(req.headers, ["content-length", "expect"])) headers.push(name, value);
    const hasBody = req.body.length > 0 || !["GET", "HEAD", "OPTIONS"].includes(req.method);
    return new Promise((resolve, reject) => {
      let statusCode = 0;
      let raw: RawHeaders = [];
      const chunks: Buffer[] = [];
      const handler: Dispatcher.DispatchHandler = {
        onConnect() {},
        onHeaders(status, rawHeaders) {
          statusCode = status;
          raw = [];
          for (let i = 0; i + 1 < rawHeaders.length; i += 2) raw.push([rawHeaders[i].toString("latin1"), rawHeaders[i + 1].toString("latin1")]);
          return true;
        },
        onData(chunk) {
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          resolve({ statusCode, headers: raw, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
        },
        onError(error) {
          reject(error);
        },
      };
      this.agent.dispatch({ origin: req.origin, method: req.method as Dispatcher.HttpMethod, path: req.path, headers, body: hasBody ? req.body : null }, handler);
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** One line saying why the upstream could not answer (for the 502 body and the dump). */
export function describeUpstreamError(origin: string, error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = (e.cause?.message ?? e.message ?? String(error)).split("\n")[0];
  return `st-proxy: upstream ${origin} failed: ${code ? `${code}: ` : ""}${message}`;
}
