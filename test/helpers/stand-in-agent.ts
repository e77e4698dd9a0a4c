import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface TestAgent {
  port: number;
  received: Received[];
  close: () => Promise<void>;
}

/**
 * A stand-in Datadog agent for tests: a real HTTP server that keeps every request it receives
 * (bytes exactly as they arrived) and answers as an agent does.
 */
export function startTestAgent(answer?: (r: Received) => { status: number; body: string; type?: string } | undefined): Promise<TestAgent> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const a = answer?.(r) ?? defaultAnswer(r);
      res.writeHead(a.status, { "Content-Type": a.type ?? "application/json" }).end(a.body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        received,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    );
  });
}

function defaultAnswer(r: Received): { status: number; body: string; type?: string } {
  const path = r.url.split("?")[0];
  if (path === "/info") return { status: 200, body: JSON.stringify({ version: "7.60.0", endpoints: ["/v0.4/traces", "/v0.5/traces", "/v0.6/stats", "/v0.7/config", "/telemetry/proxy/"], client_drop_p0s: true }) };
  if (path.endsWith("/traces")) return { status: 200, body: JSON.stringify({ rate_by_service: { "service:,env:": 1 } }) };
  if (path === "/v0.7/config") return { status: 200, body: "{}" };
  return { status: 202, body: "{}" };
}
