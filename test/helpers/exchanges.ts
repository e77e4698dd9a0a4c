// Exchanges the record tests build on (plain data, as a listener hands them to the recorder).
import type { Exchange } from "../../src/model/exchange.js";

/** GET /info on the library interface, answered 200 with `body` as JSON; no request body. */
export function infoExchange(body = "{}"): Exchange {
  return {
    interface: "library",
    method: "GET",
    path: "/info",
    host: "agent",
    port: 8127,
    startMicros: 1764170049000000,
    request: { headers: [], body: Buffer.alloc(0) },
    response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from(body) },
  };
}

/** PUT /v0.4/traces?a=1 with a 4-byte msgpack body (a newline and 0xff among them), answered "{}"; started 2025-11-26T15:14:09.123456Z. */
export function tracesExchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    interface: "library",
    method: "PUT",
    path: "/v0.4/traces?a=1",
    host: "agent",
    port: 8127,
    startMicros: 1764170049123456,
    request: { headers: [["Content-Type", "application/msgpack"]], body: Buffer.from([0x91, 0x00, 0x0a, 0xff]) },
    response: { statusCode: 200, headers: [["Content-Type", "application/json"]], body: Buffer.from("{}") },
    ...overrides,
  };
}
