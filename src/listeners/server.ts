import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  name: string;
  server: Server;
  host: string;
  port: number;
}

/** Server options tuned for proxying: long keep-alive (tracers reuse connections), big bodies. */
export const PROXY_SERVER_OPTIONS = { keepAliveTimeout: 60_000, requestTimeout: 300_000, headersTimeout: 65_000 } as const;

/** An HTTP server tuned for proxying. */
export function createProxyServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return guardClientErrors(createServer(PROXY_SERVER_OPTIONS, handler));
}

/** A client that misbehaves on its socket must not take the listener down. */
export function guardClientErrors(server: Server): Server {
  server.on("clientError", (error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
    if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") console.error(`st-proxy: bad client request: ${error.message}`);
  });
  return server;
}

export function listen(name: string, server: Server, host: string, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`${name}: cannot listen on ${host}:${port}: ${error.message}`));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve({ name, server, host, port: (server.address() as AddressInfo).port });
    });
  });
}

/**
 * Emitted on a server just before it stops accepting: whatever holds long-lived connections on
 * it (the view's WebSockets) closes them, or the server would wait for them forever.
 */
export const STOPPING = "st-proxy:stopping";

/** Stops accepting, closes idle keep-alive connections; in-flight requests go on. */
export function stopAccepting(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.emit(STOPPING);
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
