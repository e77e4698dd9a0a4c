/**
 * The HTTP request the lambda proxy received, captured once in the form every event builder
 * reads: raw target pieces, headers in wire order, the whole body, and who sent it.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { pairsFromRaw, type RawHeaders } from "../model/headers.js";
import { readBody } from "../listeners/read-body.js";

export interface ProxyRequest {
  method: string;
  /** The path as sent, percent-encoding kept ("/waf/%3Cscript%3E"). */
  rawPath: string;
  /** The path percent-decoded, as gateways show it in `path` ("/waf/<script>"). */
  path: string;
  /** After "?", without it; "" when there is none. */
  rawQuery: string;
  headers: RawHeaders;
  body: Buffer;
  /** The client's address (IPv4-mapped IPv6 addresses shown as IPv4). */
  sourceIp: string;
  /** "HTTP/1.1" */
  protocol: string;
  /** The port the proxy listens on (X-Forwarded-Port). */
  listenPort: number;
  receivedAt: Date;
  /** A fresh id per request, as a gateway stamps one. */
  requestId: string;
}

/** Splits a request target (origin-form, or absolute-form as proxies receive) into path and query. */
export function splitTarget(target: string): { rawPath: string; rawQuery: string } {
  let pathAndQuery = target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      pathAndQuery = url.pathname + url.search;
    } catch {
      // not a URL after all: taken as a path
    }
  }
  const q = pathAndQuery.indexOf("?");
  const rawPath = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  return { rawPath: rawPath.startsWith("/") ? rawPath : "/" + rawPath, rawQuery: q < 0 ? "" : pathAndQuery.slice(q + 1) };
}

/** Percent-decodes a path; a malformed escape leaves the path as sent rather than failing the request. */
export function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

function clientAddress(address: string | undefined): string {
  if (!address) return "127.0.0.1";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** Reads the whole request (body included) from Node's message. */
export async function readProxyRequest(req: IncomingMessage, listenPort: number): Promise<ProxyRequest> {
  const body = await readBody(req);
  const { rawPath, rawQuery } = splitTarget(req.url ?? "/");
  return {
    method: req.method ?? "GET",
    rawPath,
    path: decodePath(rawPath),
    rawQuery,
    headers: pairsFromRaw(req.rawHeaders),
    body,
    sourceIp: clientAddress(req.socket.remoteAddress),
    protocol: `HTTP/${req.httpVersion}`,
    listenPort,
    receivedAt: new Date(),
    requestId: randomUUID(),
  };
}
