import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AGENT_ENDPOINTS, agentAnswerFor } from "../decode/routes.js";

/**
 * The embedded stand-in agent (`--agent-target builtin`): answers a tracer as a Datadog agent
 * would, so that st-proxy serves a real tracer with nothing else running. It keeps nothing:
 * st-proxy's dumps are the record. What it answers where is in the routing table
 * (src/decode/routes.ts), beside each endpoint's decoder.
 */
const INFO = {
  version: "7.60.0",
  git_commit: "st-proxy",
  endpoints: AGENT_ENDPOINTS,
  client_drop_p0s: true,
  span_meta_structs: true,
  long_running_spans: true,
  evp_proxy_allowed_headers: ["Content-Type", "Accept-Encoding", "Content-Encoding", "User-Agent", "DD-CI-PROVIDER-NAME"],
  feature_flags: [],
  config: { default_env: "none", statsd_port: 8125, receiver_port: 8126, receiver_socket: "", analyzed_spans_by_service: {} },
  peer_tags: null,
};

type Reply = { status: number; type?: string; body: string };

function answer(method: string, path: string): Reply {
  if (path === "/info") return { status: 200, type: "application/json", body: JSON.stringify(INFO) };
  const row = agentAnswerFor(path);
  if (!row) return { status: 404, type: "text/plain; charset=utf-8", body: "404 page not found\n" };
  if (row.postOnly && method !== "POST") return { status: 405, body: "" };
  if (row.json !== undefined) return { status: row.status, type: "application/json", body: JSON.stringify(row.json) };
  return { status: row.status, type: row.type, body: row.text ?? "" };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on("end", () => {
    const path = (req.url ?? "/").split("?")[0];
    const reply = answer(req.method ?? "GET", path);
    const headers: Record<string, string> = { "Content-Length": String(Buffer.byteLength(reply.body)) };
    if (reply.type) headers["Content-Type"] = reply.type;
    res.writeHead(reply.status, headers).end(reply.body);
  });
}

export interface StandInAgent {
  host: string;
  port: number;
  close(): Promise<void>;
}

export function startStandInAgent(host = "127.0.0.1"): Promise<StandInAgent> {
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handle);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        host,
        port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
