/** An IPv6 literal in a URL or an address line needs brackets; a name or IPv4 address does not. */
export function bracketHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** The host of a HOST:PORT text without the brackets an IPv6 literal comes in. */
export function unbracketHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, "$1");
}
