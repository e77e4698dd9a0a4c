import { createSocket, type Socket } from "node:dgram";
import { within } from "./wait.js";

/** A DogStatsD stand-in: resolves with the first `count` datagrams it receives (fails after a bound). */
export async function startUdpReceiver(host: string): Promise<{ port: number; received: (count: number) => Promise<Buffer[]>; close: () => void }> {
  const socket: Socket = createSocket(host.includes(":") ? "udp6" : "udp4");
  const got: Buffer[] = [];
  let waiter: { count: number; resolve: (d: Buffer[]) => void } | undefined;
  socket.on("message", (datagram) => {
    got.push(datagram);
    if (waiter && got.length >= waiter.count) waiter.resolve(got.slice(0, waiter.count));
  });
  await new Promise<void>((r) => socket.bind(0, host, () => r()));
  return {
    port: socket.address().port,
    received: (count) =>
      got.length >= count
        ? Promise.resolve(got.slice(0, count))
        : within(new Promise((resolve) => (waiter = { count, resolve })), () => `${count} datagrams (${got.length} arrived)`),
    close: () => socket.close(),
  };
}

export function sendDatagram(host: string, port: number, datagram: Buffer): Promise<void> {
  const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
  return new Promise((resolve, reject) =>
    socket.send(datagram, port, host, (error) => {
      socket.close();
      if (error) reject(error);
      else resolve();
    }),
  );
}
