import type { RawHeaders } from "../model/headers.js";

// Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);

/** The end-to-end headers of a message: hop-by-hop ones and those named in Connection removed. */
export function endToEndHeaders(headers: RawHeaders, alsoDrop: readonly string[] = []): RawHeaders {
  const drop = new Set(alsoDrop);
  for (const [name, value] of headers)
    if (name.toLowerCase() === "connection") for (const token of value.split(",")) drop.add(token.trim().toLowerCase());
  return headers.filter(([name]) => {
    const n = name.toLowerCase();
    return !HOP_BY_HOP.has(n) && !drop.has(n);
  });
}
