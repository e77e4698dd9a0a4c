import type { Server } from "node:http";
import type { ExchangeProcessor } from "../proxy/processor.js";
import { serveExchange } from "./http-exchange.js";
import { createProxyServer } from "./server.js";

/**
 * A reverse-proxy listener (library, buddies, OpenTelemetry): every request that arrives is
 * one exchange of its interface; where it goes is the processor's decision.
 */
export function createReverseListener(iface: string, processor: ExchangeProcessor, fallback: { host: string; port: number }, isClosing: () => boolean): Server {
  return createProxyServer((req, res) => {
    serveExchange(req, res, processor, { interface: iface, target: req.url ?? "/", fallbackHost: fallback.host, fallbackPort: fallback.port }, isClosing);
  });
}
