import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The embedded stand-in agent (`--agent-target builtin`): answers a tracer as a Datadog agent
 * would, so that st-proxy serves a real tracer with nothing else running. It keeps nothing:
 * st-proxy's dumps are the record.
 */
const ENDPOINTS = [
  "/v0.4/traces",
  "/v0.5/traces",
  "/v0.6/stats",
  "/v0.7/config",
  "/telemetry/proxy/",
  "/profiling/v1/input",
  "/debugger/v1/input",
  "/debugger/v1/diagnostics",
  "/debugger/v2/input",
  "/symdb/v1/input",
  "/evp_proxy/v1/",
  "/evp_proxy/v2/",
  "/evp_proxy/v4/",
  "/dogstatsd/v2/proxy",
];

const INFO = {
  version: "7.60.0",
  git_commit: "st-proxy",
  endpoints: ENDPOINTS,
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
  const json = (status: number, value: unknown): Reply => ({ status, type: "application/json", body: JSON.stringify(value) });
  if (path === "/info") return json(200, INFO);
  if (/^\/v0\.[345]\/traces$/.test(path) || path === "/v1.0/traces") return json(200, { rate_by_service: { "service:,env:": 1 } });
  if (path === "/v0.6/stats") return { status: 200, type: "text/plain; charset=utf-8", body: "OK" };
  // No remote configuration to offer: an empty answer, as an agent with nothing targeted gives.
  if (path === "/v0.7/config") return method === "POST" ? json(200, {}) : { status: 405, body: "" };
  if (path.startsWith("/telemetry/proxy/")) return { status: 202, body: "" };
  if (path === "/dogstatsd/v2/proxy") return { status: 200, body: "" };
  if (/^\/(profiling|debugger|symdb|evp_proxy)\//.test(path)) return json(202, {});
  return { status: 404, type: "text/plain; charset=utf-8", body: "404 page not found\n" };
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
