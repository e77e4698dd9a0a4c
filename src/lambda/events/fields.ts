/** Pieces every event builder shares: headers and query strings grouped by name, body encoding, times. */
import type { RawHeaders } from "../../model/headers.js";
import type { ProxyRequest } from "../request.js";

/** Repeated names grouped (case-insensitively), in order of first appearance, keeping every value. */
export type Grouped = Map<string, { name: string; values: string[] }>;

/** Groups headers by name; `lowercase` names them as HTTP APIs and ALB do, otherwise as first sent. */
export function groupHeaders(headers: RawHeaders, lowercase: boolean): Grouped {
  const grouped: Grouped = new Map();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const entry = grouped.get(key);
    if (entry) entry.values.push(value);
    else grouped.set(key, { name: lowercase ? key : name, values: [value] });
  }
  return grouped;
}

/** Sets one header, replacing any value under that name whatever its case. */
export function setHeader(grouped: Grouped, name: string, value: string): void {
  const key = name.toLowerCase();
  grouped.set(key, { name: grouped.get(key)?.name ?? name, values: [value] });
}

/** Query parameters percent-decoded ("+" as space, as form decoding and the gateways do), grouped by name. */
export function groupQuery(rawQuery: string): Grouped {
  const grouped: Grouped = new Map();
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const entry = grouped.get(name);
    if (entry) entry.values.push(value);
    else grouped.set(name, { name, values: [value] });
  }
  return grouped;
}

/** name → last value (what single-valued fields carry when a name repeats). */
export function lastValues(grouped: Grouped): Record<string, string> {
  return Object.fromEntries([...grouped.values()].map(({ name, values }) => [name, values[values.length - 1]]));
}

/** name → every value. */
export function allValues(grouped: Grouped): Record<string, string[]> {
  return Object.fromEntries([...grouped.values()].map(({ name, values }) => [name, [...values]]));
}

/** name → values joined by `separator` (format 2.0's "comma-joined repeats"). */
export function joinedValues(grouped: Grouped, separator: string): Record<string, string> {
  return Object.fromEntries([...grouped.values()].map(({ name, values }) => [name, values.join(separator)]));
}

/** The value of a request header (the last one when repeated), or undefined. */
export function header(req: ProxyRequest, name: string): string | undefined {
  const key = name.toLowerCase();
  let found: string | undefined;
  for (const [n, v] of req.headers) if (n.toLowerCase() === key) found = v;
  return found;
}

/** The media type of the request body ("application/json"), lower case, without parameters; "" when absent. */
export function mediaType(req: ProxyRequest): string {
  return (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** API Gateway's binaryMediaTypes as the reference proxy configured them: these bodies travel base64. */
export const BINARY_MEDIA_TYPES: readonly string[] = ["application/octet-stream"];

/** The request body as an API Gateway event carries it: base64 for binary media types, text otherwise. */
export function gatewayBody(req: ProxyRequest): { body: string; isBase64Encoded: boolean } {
  const isBase64Encoded = BINARY_MEDIA_TYPES.includes(mediaType(req));
  return { body: req.body.toString(isBase64Encoded ? "base64" : "utf8"), isBase64Encoded };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "09/Apr/2015:12:34:56 +0000": the gateways' requestTime / time (UTC). */
export function gatewayTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/**
 * The host name the client addressed, without its port (the gateways' domainName: AWS never
 * puts a port there, and tracers build http.url from it); "localhost" when no Host was sent.
 */
export function domainNameOf(req: ProxyRequest): string {
  const host = header(req, "host") ?? "";
  // "[::1]:7777" keeps its brackets; "name:7777" loses the port.
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return name === "" ? "localhost" : name;
}

/** The first label of a host name (domainPrefix); an IPv6 literal has no labels and is kept whole. */
export function domainPrefix(domainName: string): string {
  return domainName.startsWith("[") ? domainName : domainName.split(".")[0];
}

/** The User-Agent header, "" when absent. */
export function userAgentOf(req: ProxyRequest): string {
  return header(req, "user-agent") ?? "";
}
