/**
 * A stand-in for the Lambda Runtime Interface Emulator: a real HTTP server speaking its invoke
 * API (POST /2015-03-31/functions/NAME/invocations, the event as JSON body, the handler's result
 * as JSON answer). Like the RIE it serves one invocation at a time: an overlapping invocation is
 * refused (400) and counted, so a test can prove the proxy never overlaps them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stand-in answers: a result (sent as JSON), or raw text with a status. */
export type Answer = { result: unknown } | { raw: string; status?: number };
export type Handler = (event: any) => Answer | Promise<Answer>;

export interface RieStandIn {
  port: number;
  /** Every event received, parsed. */
  events: any[];
  /** Invocations that arrived while another was running. */
  overlaps: number;
  handler: Handler;
  close(): Promise<void>;
}

/** A handler that answers each event with a 200 whose body is the event, as JSON. */
export const echo: Handler = (event) => ({ result: { statusCode: 200, body: JSON.stringify(event) } });

export async function startRieStandIn(handler: Handler = echo, functionName = "function"): Promise<RieStandIn> {
  let busy = false;
  const standIn: RieStandIn = { port: 0, events: [], overlaps: 0, handler, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== "POST" || req.url !== `/2015-03-31/functions/${functionName}/invocations`) {
      res.writeHead(404).end();
      return;
    }
    if (busy) {
      standIn.overlaps++;
      res.writeHead(400).end();
      return;
    }
    busy = true;
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      standIn.events.push(event);
      const answer = await standIn.handler(event);
      if ("raw" in answer) res.writeHead(answer.status ?? 200).end(answer.raw);
      else res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(answer.result));
    } finally {
      busy = false;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.port = (server.address() as AddressInfo).port;
  standIn.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}
