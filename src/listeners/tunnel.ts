import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { Destination } from "../proxy/types.js";
import type { LeafCertificates } from "../tls/leaf-certificates.js";

/** A TLS record starts with this content type: handshake. */
const TLS_HANDSHAKE = 0x16;
/** Time a client has, after CONNECT, to start and finish its TLS handshake or first request. */
const SETUP_TIMEOUT = 60_000;

export interface TunnelHandlers {
  certificates: LeafCertificates;
  /** Serves HTTP on the opened tunnel (plain, or the TLS socket st-proxy terminated). */
  serve: (socket: Socket, destination: Destination) => void;
  log: (line: string) => void;
}

/**
 * Opens a CONNECT tunnel and looks at its first bytes: a TLS client hello is terminated with a
 * leaf certificate for the requested name (SNI, else the CONNECT host), an HTTP request line is
 * served as plain HTTP, anything else is logged and the tunnel closed. Either way the dump
 * says the requests went to the CONNECT target.
 */
export function openTunnel(raw: Socket, head: Buffer, target: { host: string; port: number }, handlers: TunnelHandlers, what: string): void {
  raw.setTimeout(SETUP_TIMEOUT, () => {
    handlers.log(`${what}: no TLS handshake nor request within ${SETUP_TIMEOUT / 1000} s after CONNECT; closing`);
    raw.destroy();
  });
  raw.write("HTTP/1.1 200 Connection established\r\n\r\n");
  const start = (first: Buffer) => {
    raw.pause();
    raw.unshift(first);
    if (first[0] === TLS_HANDSHAKE) terminateTls(raw, target, handlers, what);
    // An HTTP request line starts with a method name in capitals.
    else if (first[0] >= 0x41 && first[0] <= 0x5a) {
      raw.setTimeout(0);
      handlers.serve(raw, { scheme: "http", ...target });
      // Paused above to put the first bytes back; the HTTP server reads on from here.
      raw.resume();
    } else {
      handlers.log(`${what}: client is not speaking TLS nor HTTP after CONNECT (first bytes: ${JSON.stringify(first.subarray(0, 16).toString("latin1"))}); closing`);
      raw.destroy();
    }
  };
  if (head.length > 0) start(head);
  else raw.once("data", start);
}

function terminateTls(raw: Socket, target: { host: string; port: number }, handlers: TunnelHandlers, what: string): void {
  const { certificates, log } = handlers;
  // The certificate for the CONNECT host is made while the client hello waits in the socket.
  certificates.contextFor(target.host).then(
    (secureContext) => {
      if (raw.destroyed) return;
      const tls = new TLSSocket(raw, {
        isServer: true,
        secureContext,
        ALPNProtocols: ["http/1.1"],
        // A client naming another host in its SNI than in CONNECT gets a certificate for that name.
        SNICallback: (servername, done) => {
          if (servername.toLowerCase() === target.host.toLowerCase()) return done(null, secureContext);
          certificates.contextFor(servername).then((context) => done(null, context), (error: Error) => done(error));
        },
      });
      const onError = (error: Error) => {
        log(`${what}: TLS handshake with the client failed: ${error.message}`);
        tls.destroy();
      };
      tls.on("error", onError);
      tls.once("close", () => raw.destroy());
      tls.once("secure", () => {
        tls.off("error", onError);
        raw.setTimeout(0);
        handlers.serve(tls, { scheme: "https", ...target });
      });
    },
    (error: Error) => {
      log(`${what}: cannot make a certificate for ${target.host}: ${error.message}`);
      raw.destroy();
    },
  );
}
