import type { ServerResponse } from "node:http";
import { endToEndHeaders } from "../forward/hop-by-hop.js";
import type { Answer } from "../proxy/types.js";

/**
 * Writes an answer to the client: its headers and body unchanged, framing recomputed, and
 * "Connection: close" when closing. (Shared by the proxy listeners and the lambda proxy.)
 */
export function writeAnswer(res: ServerResponse, method: string, answer: Answer, closing = false, statusMessage?: string): void {
  // A HEAD answer, a 204 or a 304 has no body: its Content-Length speaks of another message.
  const bodiless = method === "HEAD" || answer.statusCode === 204 || answer.statusCode === 304 || answer.statusCode < 200;
  const headers = endToEndHeaders(answer.headers, bodiless ? [] : ["content-length"]);
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  if (!bodiless) flat.push("Content-Length", String(answer.body.length));
  if (closing) flat.push("Connection", "close");
  if (statusMessage !== undefined) res.writeHead(answer.statusCode, statusMessage, flat);
  else res.writeHead(answer.statusCode, flat);
  res.end(bodiless ? undefined : answer.body);
}
