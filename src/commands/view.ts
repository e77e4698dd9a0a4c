import { existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { listen, stopAccepting } from "../listeners/server.js";
import { bracketHost } from "../net/host.js";
import { FolderDumpFeed } from "../view/dump-feed.js";
import { VERSION } from "../view/live.js";
import { createViewRoutes } from "../view/view-routes.js";
import { commandArgs } from "./args.js";
import { UsageError } from "./usage.js";
import { untilSignalled } from "./lifecycle.js";

const HELP = `usage: st-proxy view LOG_FOLDER [--port N] [--host H]

Serves a page, at http://H:N/ui/, that lists every exchange of a log folder (every interface
under LOG_FOLDER/interfaces/): open one to see both sides, decoded content as a JSON tree with
exact 64-bit integers, traces as a waterfall; filter by interface and by text (path, or any
string inside the dumps: trace id, span id, rid); download the run as HAR (from its flow
records). Dumps still being written (a run in progress) appear as they land. Read-only.

options:
  --port N     port to listen on (default 11112; 0 = any free port)
  --host H     address to listen on (default 127.0.0.1: only this machine; the page shows
               everything the run recorded, so widen it only on a trusted network)
  -h, --help   this text

Prints "st-proxy: view of LOG_FOLDER at <url>" once ready. SIGTERM / SIGINT stop it.
\`st-proxy serve\` serves the same page live at /ui/ on its commands listener (port 11111).`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { port: { type: "string" }, host: { type: "string" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one LOG_FOLDER");
  const port = parsePort(values.port, 11112);
  const host = values.host ?? "127.0.0.1";
  const [folder] = positionals;
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`st-proxy view: ${folder} is not a folder`);
    return 1;
  }
  if (!existsSync(`${folder}/interfaces`)) {
    console.error(`st-proxy view: ${folder} has no interfaces/ folder (expected a log folder: <log folder>/interfaces/<interface>/*.json)`);
    return 1;
  }

  const routes = createViewRoutes({ logFolder: folder, feed: new FolderDumpFeed(folder), version: VERSION });
  const loopbackOnly = isLoopback(host);
  const server = createServer((req, res) => {
    // Listening on loopback only, the page answers only to loopback names: a web page elsewhere
    // that rebinds its own host name to 127.0.0.1 (DNS rebinding) does not get the dumps.
    if (loopbackOnly && !isLoopbackHostHeader(req.headers.host)) {
      res.writeHead(421, { "Content-Type": "text/plain; charset=utf-8" }).end("Misdirected request: this view answers to 127.0.0.1, localhost or [::1] only\n");
      return;
    }
    if (routes.handle(req, res)) return;
    if (req.url === "/" || req.url === "") res.writeHead(302, { Location: "/ui/", "Content-Length": "0" }).end();
    else res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found (the page is at /ui/)\n");
  });
  server.on("upgrade", (req, socket, head) => ((!loopbackOnly || isLoopbackHostHeader(req.headers.host)) && routes.upgrade(req, socket, head)) || socket.destroy());
  let listening;
  try {
    listening = await listen("view", server, host, port);
  } catch (error) {
    routes.close();
    console.error(`st-proxy view: ${(error as Error).message}`);
    return 1;
  }
  console.log(`st-proxy: view of ${folder} at http://${bracketHost(host)}:${listening.port}/ui/`);

  return untilSignalled("st-proxy view", async () => {
    routes.close();
    const stopped = stopAccepting(server);
    // Pages keep connections alive: do not wait for them.
    server.closeAllConnections();
    await stopped;
    return 0;
  });
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port: ${JSON.stringify(value)} is not a port number`);
  return Number(value);
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A Host header naming this machine's loopback (any port). */
function isLoopbackHostHeader(value: string | undefined): boolean {
  if (value === undefined) return false;
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(value);
  const name = m ? m[1].replace(/^\[|\]$/g, "").toLowerCase() : "";
  return isLoopback(name);
}
