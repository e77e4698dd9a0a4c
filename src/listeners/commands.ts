import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { createProxyServer, STOPPING } from "./server.js";
import { readBody } from "./read-body.js";

/** What the command API does with a request body; the listener only routes and answers. */
export type CommandHandler = (body: Buffer) => { statusCode: number; text: string };

/** More routes on the command listener (the view's page): each answers only what is its own. */
export interface ExtraRoutes {
  /** True when it took the request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** True when it took the upgrade request. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** The listener stops: release long-lived connections. */
  close?(): void;
}

/**
 * The command listener (the mock API on :11111): `PUT <path>` runs that path's handler; any
 * other path or method is 404, unless `extra` takes it. Nothing here is recorded: it is
 * st-proxy's own control channel.
 */
export function createCommandsListener(routes: Readonly<Record<string, CommandHandler>>, log: (line: string) => void, extra?: ExtraRoutes): Server {
  const server = createProxyServer((req, res) => {
    if (extra?.handle(req, res)) return;
    readBody(req).then((body) => {
      const target = req.url ?? "/";
      const handler = req.method === "PUT" && Object.hasOwn(routes, target) ? routes[target] : undefined;
      let statusCode = 404;
      let text = "Not found";
      if (handler) {
        try {
          ({ statusCode, text } = handler(body));
        } catch (error) {
          statusCode = 500;
          text = `st-proxy internal error: ${(error as Error).message}`.split("\n")[0];
        }
      }
      log(`commands: ${req.method} ${target}: ${statusCode} ${text}`);
      const answer = Buffer.from(text);
      res.writeHead(statusCode, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(answer.length) }).end(answer);
    }, () => res.destroy());
  });
  if (extra?.upgrade) server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => extra.upgrade!(req, socket, head) || socket.destroy());
  if (extra?.close) server.once(STOPPING, () => extra.close!());
  return server;
}
