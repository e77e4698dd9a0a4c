import type { Exchange } from "../model/exchange.js";
import { splitTarget } from "../model/exchange.js";
import type { RawHeaders } from "../model/headers.js";
import { headerValue } from "../model/headers.js";

/** A HAR 1.2 entry (only what st-proxy fills; `_interface` / `_dump` name the st-proxy row). */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _interface: string;
  _dump?: string;
  comment?: string;
}

/**
 * HAR 1.2 of recorded exchanges, bodies as they crossed the wire (still compressed when a
 * Content-Encoding was sent): text as text, anything else base64 with `encoding: "base64"` (on a
 * request's postData that field is an extension of HAR 1.2, read by tools that import binary bodies).
 */
export function* harText(exchanges: Iterable<{ exchange: Exchange; dumpName?: string }>, version: string): Generator<string> {
  // Written entry by entry: a HAR of a whole run can be larger than what one string may hold.
  yield `{"log":{"version":"1.2","creator":${JSON.stringify({ name: "st-proxy", version })},"pages":[],"entries":[`;
  let first = true;
  for (const { exchange, dumpName } of exchanges) {
    yield (first ? "\n" : ",\n") + JSON.stringify(harEntry(exchange, dumpName));
    first = false;
  }
  yield "\n]}}\n";
}

/** One exchange as a HAR entry. */
export function harEntry(ex: Exchange, dumpName?: string): HarEntry {
  const { path, query } = splitTarget(ex.path);
  const scheme = ex.port === 443 ? "https" : "http";
  const defaultPort = scheme === "https" ? 443 : 80;
  const host = ex.host.includes(":") ? `[${ex.host}]` : ex.host;
  const url = `${scheme}://${host}${ex.port === defaultPort ? "" : `:${ex.port}`}${path}${query ? `?${query}` : ""}`;
  const request: Record<string, unknown> = {
    method: ex.method,
    url,
    httpVersion: "HTTP/1.1",
    cookies: [],
    headers: harHeaders(ex.request.headers),
    queryString: queryPairs(query),
    headersSize: -1,
    bodySize: ex.request.body.length,
  };
  if (ex.request.body.length > 0) request.postData = { mimeType: headerValue(ex.request.headers, "content-type") ?? "", ...body(ex.request.body) };
  const res = ex.response;
  const response: Record<string, unknown> = res
    ? {
        status: res.statusCode,
        statusText: "",
        httpVersion: "HTTP/1.1",
        cookies: [],
        headers: harHeaders(res.headers),
        content: { size: res.body.length, mimeType: headerValue(res.headers, "content-type") ?? "", ...(res.body.length > 0 ? body(res.body) : {}) },
        redirectURL: headerValue(res.headers, "location") ?? "",
        headersSize: -1,
        bodySize: res.body.length,
      }
    : // No answer came: HAR has no "no response", so status 0 as browsers record it.
      { status: 0, statusText: "", httpVersion: "HTTP/1.1", cookies: [], headers: [], content: { size: 0, mimeType: "" }, redirectURL: "", headersSize: -1, bodySize: -1 };
  const entry: HarEntry = {
    startedDateTime: new Date(Math.floor(ex.startMicros / 1000)).toISOString(),
    time: 0,
    request,
    response,
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _interface: ex.interface,
  };
  if (dumpName !== undefined) entry._dump = dumpName;
  if (ex.error) entry.comment = ex.error;
  return entry;
}

function harHeaders(headers: RawHeaders): { name: string; value: string }[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function queryPairs(query: string): { name: string; value: string }[] {
  if (!query) return [];
  return query.split("&").map((part) => {
    const eq = part.indexOf("=");
    const [name, value] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    return { name: decodeLoose(name), value: decodeLoose(value) };
  });
}

function decodeLoose(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A body as HAR text: kept as text when it is UTF-8 without control bytes, else base64. */
function body(bytes: Buffer): { text: string; encoding?: "base64" } {
  try {
    const text = UTF8.decode(bytes);
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { text };
  } catch {
    // not UTF-8
  }
  return { text: bytes.toString("base64"), encoding: "base64" };
}
