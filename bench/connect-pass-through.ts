// The baseline for the CONNECT benchmark: a plain CONNECT proxy that pipes bytes both ways, no
// interception, no recording.  Run: node --import tsx bench/connect-pass-through.ts
import { createServer } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

const server = createServer((_req, res) => res.writeHead(405).end());
server.on("connect", (req, client: Socket, head: Buffer) => {
  const [host, port] = (req.url ?? "").split(":");
  const upstream = connect(Number(port), host === "localhost" ? "127.0.0.1" : host, () => {
    client.write("HTTP/1.1 200 Connection established\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(client).pipe(upstream);
  });
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
