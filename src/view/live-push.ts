import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket, WebSocketServer } from "ws";
import type { DumpFeed } from "./dump-feed.js";
import type { DumpEntry } from "./log-folder.js";

/** How much one page may have waiting (queued here, or unsent in its socket) before news is only counted. */
export interface PushLimits {
  /** Entries queued for one page between two sends. */
  maxQueued: number;
  /** Bytes written to a page's socket and not yet sent: above this, the page is too slow. */
  maxBuffered: number;
  /** How often queued news goes out (ms): many dumps make one message. */
  flushMs: number;
}

export const DEFAULT_PUSH_LIMITS: PushLimits = { maxQueued: 500, maxBuffered: 1 << 20, flushMs: 100 };

interface Page {
  ws: WebSocket;
  queued: DumpEntry[];
  /** News that did not fit: told as "N more", after which the page lists the folder again. */
  missed: number;
  timer?: NodeJS.Timeout;
}

/**
 * Pushes new dumps to the pages open over WebSocket. The proxy never waits for a page: a dump
 * costs one array push (or one counter increment) per page; a page that reads too slowly, or
 * not at all, gets `{type: "more", count}` once it catches up, never an unbounded queue.
 *
 * Messages: `{type: "dumps", dumps: DumpEntry[]}`, `{type: "more", count: N}`.
 */
export class LivePush {
  /** Made at the first page: the WebSocket library is not loaded by a proxy nobody watches. */
  private wss?: Promise<WebSocketServer>;
  private closed = false;
  private readonly pages = new Set<Page>();
  /** Listening to the feed only while a page is open. */
  private unsubscribe?: () => void;

  constructor(
    private readonly feed: DumpFeed,
    private readonly limits: PushLimits = DEFAULT_PUSH_LIMITS,
  ) {}

  /** Number of pages connected. */
  get size(): number {
    return this.pages.size;
  }

  /** Takes over an HTTP upgrade request for the page's socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Subscribed before the page hears its socket is open: a page that lists the folder once
    // its socket is open misses no dump between the two.
    this.unsubscribe ??= this.feed.subscribe((entry) => this.publish(entry));
    let opened = false;
    socket.once("close", () => opened || this.idle());
    this.wss ??= import("ws").then(({ WebSocketServer }) => new WebSocketServer({ noServer: true, maxPayload: 4096 }));
    // (Until then the socket is not read: what the page sends waits in it.)
    this.wss.then((wss) => {
      if (this.closed) return void socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true;
      const page: Page = { ws, queued: [], missed: 0 };
      this.pages.add(page);
      // The page says nothing: anything it sends is ignored (the UI is read-only).
      ws.on("close", () => {
        clearTimeout(page.timer);
        this.pages.delete(page);
        this.idle();
      });
      ws.on("error", () => ws.terminate());
      });
    }, () => socket.destroy());
  }

  /** No page left: stop listening to the feed. */
  private idle(): void {
    if (this.pages.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private publish(entry: DumpEntry): void {
    for (const page of this.pages) {
      if (page.missed > 0 || page.queued.length >= this.limits.maxQueued || page.ws.bufferedAmount > this.limits.maxBuffered) page.missed++;
      else page.queued.push(entry);
      page.timer ??= setTimeout(() => this.flush(page), this.limits.flushMs);
    }
  }

  private flush(page: Page): void {
    page.timer = undefined;
    if (page.ws.readyState !== page.ws.OPEN) return;
    if (page.ws.bufferedAmount > this.limits.maxBuffered) {
      // Still busy with what it has: look again later, still counting.
      page.missed += page.queued.length;
      page.queued = [];
      page.timer = setTimeout(() => this.flush(page), this.limits.flushMs);
      return;
    }
    if (page.queued.length > 0) page.ws.send(JSON.stringify({ type: "dumps", dumps: page.queued }));
    if (page.missed > 0) page.ws.send(JSON.stringify({ type: "more", count: page.missed }));
    page.queued = [];
    page.missed = 0;
  }

  /** Closes every page's socket and stops listening to the feed. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const page of this.pages) {
      clearTimeout(page.timer);
      page.ws.terminate();
    }
    this.pages.clear();
    void this.wss?.then((wss) => wss.close());
  }
}
