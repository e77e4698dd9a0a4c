/** Headers as they crossed the wire: original case, wire order, repeats as separate entries. */
export type RawHeaders = [string, string][];

/**
 * mitmproxy's folded view, which the dumps show: one pair per case-insensitive name, in order
 * of first appearance, with the first spelling and every value joined by ", ".
 */
export function foldHeaders(headers: RawHeaders): RawHeaders {
  const byName = new Map<string, [string, string]>();
  const folded: RawHeaders = [];
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const seen = byName.get(key);
    if (seen) seen[1] += ", " + value;
    else {
      const pair: [string, string] = [name, value];
      byName.set(key, pair);
      folded.push(pair);
    }
  }
  return folded;
}

/** The value of a header, folded as above; undefined when absent. */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  const key = name.toLowerCase();
  let found: string | undefined;
  for (const [n, v] of headers) if (n.toLowerCase() === key) found = found === undefined ? v : found + ", " + v;
  return found;
}

/** Node's rawHeaders ([name, value, name, value, ...]) as pairs. */
export function pairsFromRaw(raw: string[]): RawHeaders {
  const pairs: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}
