import { Server, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ExchangeProcessor } from "../proxy/processor.js";
import type { Destination } from "../proxy/types.js";
import type { LeafCertificates } from "../tls/leaf-certificates.js";
import { serveExchange } from "./http-exchange.js";
import { parseAbsoluteTarget, parseConnectTarget } from "./proxy-target.js";
import { PROXY_SERVER_OPTIONS, createProxyServer, guardClientErrors } from "./server.js";
import { openTunnel } from "./tunnel.js";

export interface ConnectListenerOptions {
  iface: string;
  processor: ExchangeProcessor;
  certificates: LeafCertificates;
  isClosing: () => boolean;
  log: (line: string) => void;
}

/**
 * An HTTP proxy listener (agent, datadog_sidecar, datadog_direct, otel_collector): `CONNECT
 * host:port` tunnels whose TLS st-proxy terminates, and plain absolute-form requests. Every
 * request, in a tunnel or not, is one exchange of the interface, its destination the CONNECT
 * target (or the absolute URL's origin). Tunnels keep HTTP/1.1 alive for many requests.
 */
export function createConnectListener(options: ConnectListenerOptions): Server {
  return new ConnectProxyServer(options);
}

/**
 * The outer server answers CONNECT and absolute-form requests; the requests inside tunnels are
 * served by an inner HTTP server that is never bound to a port. Such a server tracks none of
 * its connections (no idle list, no timeouts), so the tunnels are tracked here: which have a
 * request in progress, and how long the others have been idle. Closing the outer server closes
 * the idle tunnels, so that a shutdown never waits on clients keeping tunnels open.
 */
class ConnectProxyServer extends Server {
  private readonly inner: Server;
  /** Tunnels opened and not yet closed, with where their requests go. */
  private readonly tunnels = new Map<Socket, Destination | undefined>();
  private readonly destinations = new WeakMap<Socket, Destination>();
  /** The decrypted socket of each tunnel, and how many requests it has in progress. */
  private readonly inside = new Map<Socket, Socket>();
  private readonly busy = new WeakMap<Socket, number>();

  constructor(private readonly options: ConnectListenerOptions) {
    super(PROXY_SERVER_OPTIONS);
    guardClientErrors(this);
    this.on("request", (req: IncomingMessage, res: ServerResponse) => this.onProxyRequest(req, res));
    this.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => this.onConnect(req, socket, head));
    this.inner = createProxyServer((req, res) => this.onTunnelRequest(req, res));
  }

  override closeIdleConnections(): void {
    super.closeIdleConnections();
    // Tunnels still in their TLS handshake, or between requests, carry no exchange. Busy ones
    // close themselves after their answer, which says "Connection: close" once closing.
    for (const raw of this.tunnels.keys()) {
      const socket = this.inside.get(raw);
      if (!socket || !this.busy.get(socket)) raw.destroy();
    }
  }

  override closeAllConnections(): void {
    super.closeAllConnections();
    for (const raw of this.tunnels.keys()) raw.destroy();
  }

  private onProxyRequest(req: IncomingMessage, res: ServerResponse): void {
    const { iface, processor, isClosing } = this.options;
    const absolute = parseAbsoluteTarget(req.url ?? "");
    if (!absolute) {
      // Not a proxy request: nothing says where it should go.
      const text = `st-proxy: ${iface} is an HTTP proxy: send CONNECT host:port, or an absolute-form request (http://host/path)\n`;
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) }).end(text);
      return;
    }
    const { destination, target } = absolute;
    serveExchange(req, res, processor, { interface: iface, target, destination, fallbackHost: destination.host, fallbackPort: destination.port }, isClosing);
  }

  private onConnect(req: IncomingMessage, raw: Socket, head: Buffer): void {
    const { iface, log, certificates } = this.options;
    raw.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET") log(`${iface}: tunnel to ${req.url}: ${error.message}`);
    });
    const target = parseConnectTarget(req.url ?? "");
    if (!target) {
      log(`${iface}: bad CONNECT target ${JSON.stringify(req.url)}`);
      raw.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (this.options.isClosing()) {
      raw.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.tunnels.set(raw, undefined);
    raw.once("close", () => {
      this.tunnels.delete(raw);
      this.inside.delete(raw);
    });
    const what = `${iface}: CONNECT ${req.url}`;
    openTunnel(raw, head, target, { certificates, log, serve: (socket, destination) => this.serveTunnel(raw, socket, destination) }, what);
  }

  private serveTunnel(raw: Socket, socket: Socket, destination: Destination): void {
    this.tunnels.set(raw, destination);
    this.inside.set(raw, socket);
    this.destinations.set(socket, destination);
    // The keep-alive timeout the inner server cannot enforce: an idle tunnel is closed.
    socket.setTimeout(PROXY_SERVER_OPTIONS.keepAliveTimeout, () => {
      if (!this.busy.get(socket)) raw.destroy();
    });
    if (this.options.isClosing()) raw.destroy();
    else this.inner.emit("connection", socket);
  }

  private onTunnelRequest(req: IncomingMessage, res: ServerResponse): void {
    const { iface, processor, isClosing } = this.options;
    const socket = req.socket;
    const destination = this.destinations.get(socket)!;
    this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1);
    res.once("close", () => this.busy.set(socket, (this.busy.get(socket) ?? 1) - 1));
    // Inside a tunnel the target is normally in origin form; an absolute one keeps only its path.
    const url = req.url ?? "/";
    const target = parseAbsoluteTarget(url)?.target ?? url;
    serveExchange(req, res, processor, { interface: iface, target, destination, fallbackHost: destination.host, fallbackPort: destination.port }, isClosing);
  }
}
