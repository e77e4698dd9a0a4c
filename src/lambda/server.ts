/**
 * The lambda proxy's HTTP server: answers GET /healthcheck itself and sends every other request
 * (any path, any method) through the function. Closing lets in-flight requests finish.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayError } from "./errors.js";
import type { EventType } from "./event-types.js";
import { badGateway, exchange } from "./exchange.js";
import { RieInvoker, type InvokerOptions } from "./invoker.js";
import { readProxyRequest } from "./request.js";
import type { HttpResponse } from "./results/http-response.js";
import { writeAnswer } from "../listeners/answer.js";

export interface LambdaProxyOptions {
  host: string;
  port: number;
  eventType: EventType;
  rie: InvokerOptions;
  /** Where problems are reported (one line each); silent by default. */
  log?: (line: string) => void;
}

export interface LambdaProxy {
  /** The port actually listened on (useful with port 0). */
  port: number;
  /** The RIE invoke URL. */
  invokeUrl: string;
  /** Stops accepting, waits for in-flight requests to be answered, then releases everything. */
  close(): Promise<void>;
}

const HEALTHCHECK: HttpResponse = { statusCode: 200, headers: [["Content-Type", "text/html; charset=utf-8"]], body: Buffer.from("Ok") };

function isHealthcheck(req: IncomingMessage): boolean {
  const path = (req.url ?? "").split("?")[0];
  return path === "/healthcheck" && (req.method === "GET" || req.method === "HEAD");
}

/**
 * A HEAD answer carries the Content-Length the GET would have had ("the server SHOULD send the
 * same header fields in response to a HEAD request as it would have sent if the request method
 * had been GET", RFC 9110 §9.3.2; the reference proxy does): the function answered with the
 * body, only the sending leaves it out. Not for statuses that never have content (RFC 9110 §8.6).
 */
function headLength(method: string, response: HttpResponse): HttpResponse {
  const contentless = response.statusCode < 200 || response.statusCode === 204 || response.statusCode === 304;
  if (method !== "HEAD" || contentless) return response;
  return { ...response, headers: [...response.headers, ["Content-Length", String(response.body.length)]] };
}

function send(res: ServerResponse, response: HttpResponse, closing: boolean): void {
  const method = res.req.method ?? "GET";
  writeAnswer(res, method, headLength(method, response), closing, response.statusMessage);
}

export async function startLambdaProxy(options: LambdaProxyOptions): Promise<LambdaProxy> {
  const log = options.log ?? (() => {});
  const invoker = new RieInvoker(options.rie);
  const invoke = (event: object) => invoker.invoke(event);
  let port = 0;
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | null = null;

  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      if (isHealthcheck(req)) {
        req.resume();
        send(res, HEALTHCHECK, closing);
        return;
      }
      let request;
      try {
        request = await readProxyRequest(req, port);
      } catch {
        res.destroy(); // the client went away mid-request
        return;
      }
      const onError = (error: GatewayError) => log(`502 ${request.method} ${request.rawPath}: ${error.message}`);
      let response: HttpResponse;
      try {
        response = await exchange(request, options.eventType, invoke, onError);
      } catch (error) {
        log(`502 ${request.method} ${request.rawPath}: internal error: ${(error as Error).stack ?? String(error)}`);
        response = badGateway(`internal error in st-proxy lambda-proxy: ${(error as Error).message}`);
      }
      if (res.destroyed) return;
      try {
        send(res, response, closing);
      } catch (error) {
        // Node refused what the result asked for (e.g. a reason phrase it cannot send).
        log(`502 ${request.method} ${request.rawPath}: malformed result: ${(error as Error).message}`);
        if (res.headersSent) res.destroy();
        else send(res, badGateway(`malformed result: ${(error as Error).message}`), closing);
      }
    } finally {
      inFlight--;
      if (closing && inFlight === 0) drained?.();
    }
  });
  server.keepAliveTimeout = 65_000; // longer than common client pools keep idle sockets

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => {
      void invoker.close();
      reject(error);
    });
    server.listen(options.port, options.host, () => {
      server.removeAllListeners("error");
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | null = null;
  return {
    port,
    invokeUrl: invoker.url,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        server.closeAllConnections();
        await stopped;
        await invoker.close();
      })();
      return closed;
    },
  };
}
