import { createSocket, type Socket } from "node:dgram";
import { lookup } from "node:dns/promises";

export interface UdpForwarder {
  host: string;
  port: number;
  /** Stops receiving; datagrams already received are still sent on. */
  close(): Promise<void>;
}

// The target's address is looked up again after this long (a container may be restarted).
const LOOKUP_TTL_MS = 5_000;

/**
 * Forwards every datagram received on host:port, as it is, to the target (DogStatsD). Nothing
 * is recorded: the reference keeps no dump of them either. Sending goes through a socket of
 * the target's own address family, so a listener on :: reaches an IPv4-only target too.
 */
export function startUdpForwarder(name: string, host: string, port: number, target: { host: string; port: number }, log: (line: string) => void): Promise<UdpForwarder> {
  const listener = createSocket({ type: host.includes(":") ? "udp6" : "udp4" });
  const senders = new Map<number, Socket>();
  let resolved: { at: number; address: Promise<{ address: string; family: number }> } | undefined;
  let pending = 0;
  let drained: (() => void) | undefined;

  const resolve = () => {
    if (!resolved || Date.now() - resolved.at > LOOKUP_TTL_MS) {
      const address = lookup(target.host);
      resolved = { at: Date.now(), address };
      address.catch(() => (resolved = undefined));
    }
    return resolved.address;
  };

  const sender = (family: number): Socket => {
    let socket = senders.get(family);
    if (!socket) {
      socket = createSocket({ type: family === 6 ? "udp6" : "udp4" });
      socket.on("error", (error) => log(`${name}: sending to ${target.host}:${target.port} failed: ${error.message}`));
      senders.set(family, socket);
    }
    return socket;
  };

  const done = () => {
    if (--pending === 0) drained?.();
  };

  listener.on("message", (datagram) => {
    pending++;
    resolve().then(
      ({ address, family }) =>
        sender(family).send(datagram, target.port, address, (error) => {
          if (error) log(`${name}: sending ${datagram.length} bytes to ${target.host}:${target.port} failed: ${error.message}`);
          done();
        }),
      (error: Error) => {
        log(`${name}: cannot resolve ${target.host}: ${error.message}; datagram of ${datagram.length} bytes dropped`);
        done();
      },
    );
  });
  listener.on("error", (error) => log(`${name}: ${error.message}`));

  return new Promise((resolvePromise, reject) => {
    const onError = (error: Error) => reject(new Error(`${name}: cannot listen on ${host}:${port}/udp: ${error.message}`));
    listener.once("error", onError);
    listener.bind(port, host, () => {
      listener.off("error", onError);
      resolvePromise({
        host,
        port: listener.address().port,
        close: async () => {
          await new Promise<void>((r) => listener.close(() => r()));
          if (pending > 0) await new Promise<void>((r) => (drained = r));
          await Promise.all([...senders.values()].map((s) => new Promise<void>((r) => s.close(() => r()))));
        },
      });
    });
  });
}
