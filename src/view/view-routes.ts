import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { dumpAt, dumpPath, listDumps, listInterfaces, type DumpEntry } from "./log-folder.js";
import { basename, dirname } from "node:path";
import { summarizeDump, type DumpSummary } from "./dump-summary.js";
import { searchDumps, DEFAULT_SEARCH_LIMITS, type SearchLimits } from "./content-search.js";
import { hasFlows, listFlows, readableFlows } from "./flow-source.js";
import { harText } from "./har.js";
import { loadPageAssets, type Asset } from "./page-assets.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { LivePush } from "./live-push.js";
import type { DumpFeed } from "./dump-feed.js";

export interface ViewOptions {
  logFolder: string;
  /** News of dumps for pages open while recording; without it the page is a still view. */
  feed?: DumpFeed;
  /** st-proxy's version, for HAR's creator. */
  version: string;
  searchLimits?: SearchLimits;
}

/** Routes the view adds to an HTTP server: requests under /ui/ and the page's WebSocket. */
export interface ViewRoutes {
  /** Answers a request if it is the view's; false otherwise (the server goes on routing it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes an upgrade request if it is the view's socket; false otherwise. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes the pages' sockets (so that the server can close) and the feed. */
  close(): void;
}

const LIST_CHUNK = 2000;
const MAX_SUMMARIES = 200;
const SUMMARY_CACHE = 20_000;

/**
 * The view of a log folder over HTTP, read-only (GET only):
 * - `/ui/` and its files: the page;
 * - `/ui/api/list`: every dump as its name tells it, streamed as NDJSON chunks;
 * - `/ui/api/summaries?ids=i/name,...`: method, status, sizes, time, problems of some dumps;
 * - `/ui/api/dump?i=&n=`: one dump's text;
 * - `/ui/api/search?q=&i=&order=&start=` (or `&ids=`): dumps whose text holds q, streamed, bounded;
 * - `/ui/api/har?i=`: HAR 1.2 from the flow records;
 * - `/ui/ws`: new dumps pushed (when a feed is given).
 */
export function createViewRoutes(options: ViewOptions): ViewRoutes {
  const assets = loadPageAssets();
  const push = options.feed ? new LivePush(options.feed) : undefined;
  const summaries = new Map<string, DumpSummary>();

  const api: Record<string, (url: URL, req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    list: (_url, _req, res) => streamList(options.logFolder, !!push, res),
    summaries: (url, _req, res) => sendSummaries(options.logFolder, summaries, url, res),
    dump: (url, _req, res) => sendDump(options.logFolder, url, res),
    search: (url, req, res) => streamSearch(options.logFolder, url, req, res, options.searchLimits ?? DEFAULT_SEARCH_LIMITS),
    har: (url, _req, res) => sendHar(options.logFolder, url, options.version, res),
  };

  return {
    handle(req, res) {
      const url = new URL(req.url ?? "/", "http://view.invalid");
      if (url.pathname !== "/ui" && !url.pathname.startsWith("/ui/")) return false;
      if (req.method !== "GET" && req.method !== "HEAD") {
        answer(res, 405, "text/plain; charset=utf-8", "The view is read-only.\n", { Allow: "GET, HEAD" });
        return true;
      }
      if (url.pathname === "/ui") {
        answer(res, 308, "text/plain; charset=utf-8", "", { Location: "/ui/" });
        return true;
      }
      const rest = url.pathname.slice("/ui/".length);
      if (rest.startsWith("api/")) {
        const route = api[rest.slice(4)];
        if (!route) answer(res, 404, "text/plain; charset=utf-8", "Not found\n");
        else
          Promise.resolve(route(url, req, res)).catch((error: Error) => {
            if (!res.headersSent) answer(res, 500, "text/plain; charset=utf-8", `st-proxy view: ${error.message}\n`);
            else res.destroy();
          });
        return true;
      }
      const asset: Asset | undefined = assets.get(rest === "" ? "index.html" : rest);
      if (!asset) answer(res, 404, "text/plain; charset=utf-8", "Not found\n");
      else answer(res, 200, asset.type, asset.data, { "Cache-Control": "no-cache" });
      return true;
    },
    upgrade(req, socket, head) {
      if (!req.url || new URL(req.url, "http://view.invalid").pathname !== "/ui/ws") return false;
      if (!push) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return true;
      }
      push.upgrade(req, socket, head);
      return true;
    },
    close() {
      push?.close();
      options.feed?.close();
    },
  };
}

function answer(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": type, "Content-Length": String(data.length), "Cache-Control": "no-store", ...extra });
  res.end(res.req.method === "HEAD" ? undefined : data);
}

/** Writes a line of NDJSON, waiting while the page's socket is full. */
async function writeLine(res: ServerResponse, value: unknown): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(JSON.stringify(value) + "\n")) await drained(res);
  return !res.destroyed;
}

/** Resolves once the page has taken what was written, or has gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function startStream(res: ServerResponse): void {
  res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" });
}

/** Every dump, interface by interface, in chunks: the page fills as they come. */
async function streamList(logFolder: string, live: boolean, res: ServerResponse): Promise<void> {
  const interfaces = listInterfaces(logFolder);
  startStream(res);
  if (!(await writeLine(res, { type: "info", logFolder, interfaces, live, har: hasFlows(logFolder) }))) return;
  let count = 0;
  for (const iface of interfaces) {
    const dumps = listDumps(logFolder, iface);
    count += dumps.length;
    for (let i = 0; i < dumps.length; i += LIST_CHUNK) if (!(await writeLine(res, { type: "dumps", dumps: dumps.slice(i, i + LIST_CHUNK) }))) return;
  }
  await writeLine(res, { type: "end", count });
  res.end();
}

/** The file of a row id (`<interface>/<dump file name>`), or undefined when it names none. */
function pathOfId(logFolder: string, id: string): string | undefined {
  const slash = id.indexOf("/");
  return slash > 0 ? dumpPath(logFolder, id.slice(0, slash), id.slice(slash + 1)) : undefined;
}

async function sendSummaries(logFolder: string, cache: Map<string, DumpSummary>, url: URL, res: ServerResponse): Promise<void> {
  const ids = (url.searchParams.get("ids") ?? "").split(",").filter(Boolean).slice(0, MAX_SUMMARIES);
  const out: Record<string, DumpSummary> = {};
  for (const id of ids) {
    const cached = cache.get(id);
    if (cached) {
      out[id] = cached;
      continue;
    }
    const file = pathOfId(logFolder, id);
    if (!file) continue;
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    const summary = summarizeDump(text);
    // Dumps never change once in place: what was read stays true.
    if (cache.size >= SUMMARY_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(id, summary);
    out[id] = summary;
  }
  answer(res, 200, "application/json; charset=utf-8", JSON.stringify(out));
}

async function sendDump(logFolder: string, url: URL, res: ServerResponse): Promise<void> {
  const file = dumpPath(logFolder, url.searchParams.get("i") ?? "", url.searchParams.get("n") ?? "");
  if (!file) return answer(res, 400, "text/plain; charset=utf-8", "expects i=<interface>&n=<dump file name>\n");
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    return answer(res, 404, "text/plain; charset=utf-8", "no such dump\n");
  }
  answer(res, 200, "application/json; charset=utf-8", data);
}

/** The dumps a search reads, in the page's order: by time (the file's), then by number. */
function searchOrder(logFolder: string, iface: string | null, newestFirst: boolean): DumpEntry[] {
  const interfaces = iface ? listInterfaces(logFolder).filter((i) => i === iface) : listInterfaces(logFolder);
  const all = interfaces.flatMap((i) => listDumps(logFolder, i));
  all.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.interface < b.interface ? -1 : a.interface > b.interface ? 1 : a.number - b.number));
  return newestFirst ? all.reverse() : all;
}

/** Dumps named by the page as `<interface>/<name>,...` (at most MAX_SUMMARIES; bad names left out). */
function namedDumps(logFolder: string, ids: string): DumpEntry[] {
  const out: DumpEntry[] = [];
  for (const id of ids.split(",").slice(0, MAX_SUMMARIES)) {
    const file = pathOfId(logFolder, id);
    const entry = file ? dumpAt(dirname(file), basename(dirname(file)), basename(file)) : undefined;
    if (entry) out.push(entry);
  }
  return out;
}

async function streamSearch(logFolder: string, url: URL, req: IncomingMessage, res: ServerResponse, limits: SearchLimits): Promise<void> {
  const q = url.searchParams.get("q") ?? "";
  if (q.length === 0 || q.length > 1000) return answer(res, 400, "text/plain; charset=utf-8", "expects q=<text> (1 to 1000 characters)\n");
  const start = Number(url.searchParams.get("start") ?? "0");
  const ids = url.searchParams.get("ids");
  // `ids`: only these dumps (the page asks so for rows that arrived live during a search).
  const entries = ids !== null ? namedDumps(logFolder, ids) : searchOrder(logFolder, url.searchParams.get("i"), url.searchParams.get("order") !== "oldest");
  const abort = new AbortController();
  // The page gave up (a new query, closed): stop reading files.
  res.on("close", () => abort.abort());
  req.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  startStream(res);
  for await (const event of searchDumps(logFolder, entries, q, Number.isSafeInteger(start) && start > 0 ? start : 0, limits, abort.signal)) {
    if (!(await writeLine(res, event))) return;
  }
  res.end();
}

async function sendHar(logFolder: string, url: URL, version: string, res: ServerResponse): Promise<void> {
  const iface = url.searchParams.get("i") || undefined;
  const { flows } = listFlows(logFolder, iface);
  if (flows.length === 0) return answer(res, 404, "text/plain; charset=utf-8", "no flow records in this log folder (st-proxy serve --no-flows, or not an st-proxy recording)\n");
  const name = `st-proxy${iface ? `-${iface.replace(/[^\w.-]/g, "_")}` : ""}.har`;
  res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "Content-Disposition": `attachment; filename="${name}"` });
  for (const chunk of harText(readableFlows(flows), version)) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
  }
  res.end();
}
