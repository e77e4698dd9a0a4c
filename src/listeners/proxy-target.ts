import type { Destination } from "../proxy/types.js";
import { unbracketHost } from "../net/host.js";

/** `host:port` of a CONNECT request (`[v6]:port` for IPv6); undefined when it is not one. */
export function parseConnectTarget(authority: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/@]+)):(\d{1,5})$/.exec(authority);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2], port };
}

/**
 * An absolute-form proxy request target (`http://host:port/path?q`): where it goes, and the
 * target in origin form. Undefined when the target is not absolute (not a proxy request).
 */
export function parseAbsoluteTarget(url: string): { destination: Destination; target: string } | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const scheme = parsed.protocol === "https:" ? "https" : "http";
  const host = unbracketHost(parsed.hostname);
  const port = parsed.port ? Number(parsed.port) : scheme === "https" ? 443 : 80;
  // Keep the path and query as the client wrote them: URL would normalise "..", "%7E", etc.
  const afterAuthority = url.replace(/^https?:\/\/[^/?#]*/i, "");
  const target = afterAuthority.startsWith("/") ? afterAuthority : "/" + afterAuthority;
  return { destination: { scheme, host, port }, target: target.replace(/#.*$/, "") };
}
