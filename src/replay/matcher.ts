import { splitTarget, type Exchange } from "../model/exchange.js";

export type MatchResult =
  | { matched: true; exchange: Exchange; how: "same body" | "same path" }
  | { matched: false; reason: string };

interface Entry {
  exchange: Exchange;
  used: boolean;
}

/**
 * Picks, for an incoming request, the recorded exchange whose response answers it: first one
 * with the same method, request target and body; else one with the same method and path
 * (query aside). Among several, recorded order: each is handed out once, and when all have
 * been, the last one keeps answering (a tracer that runs longer than the recording still gets
 * an answer). Exchanges recorded without a response (or killed) cannot answer and are left out.
 */
export class RecordedResponses {
  private readonly byPath = new Map<string, Entry[]>();

  constructor(exchanges: Iterable<Exchange>) {
    for (const exchange of exchanges) {
      if (!exchange.response || exchange.killed) continue;
      const key = pathKey(exchange.method, exchange.path);
      let list = this.byPath.get(key);
      if (!list) this.byPath.set(key, (list = []));
      list.push({ exchange, used: false });
    }
  }

  get size(): number {
    let n = 0;
    for (const list of this.byPath.values()) n += list.length;
    return n;
  }

  match(method: string, target: string, body: Buffer): MatchResult {
    const candidates = this.byPath.get(pathKey(method, target));
    if (!candidates) return { matched: false, reason: this.noMatchReason(method, target) };
    const sameBody = candidates.filter((e) => e.exchange.path === target && e.exchange.request.body.equals(body));
    if (sameBody.length > 0) return { matched: true, exchange: take(sameBody).exchange, how: "same body" };
    return { matched: true, exchange: take(candidates).exchange, how: "same path" };
  }

  private noMatchReason(method: string, target: string): string {
    const { path } = splitTarget(target);
    const recorded = [...this.byPath.keys()];
    const shown = recorded.slice(0, 20).join(", ") + (recorded.length > 20 ? `, ... (${recorded.length} in all)` : "");
    return `st-proxy replay: no recorded ${method} ${path} to answer with (recorded: ${shown || "nothing"})`;
  }
}

function pathKey(method: string, target: string): string {
  return `${method.toUpperCase()} ${splitTarget(target).path}`;
}

function take(entries: Entry[]): Entry {
  const next = entries.find((e) => !e.used) ?? entries[entries.length - 1];
  next.used = true;
  return next;
}
