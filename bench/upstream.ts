// The upstream for the benchmarks: answers every request as an agent answers trace submissions.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const body = JSON.stringify({ rate_by_service: { "service:,env:": 1 } });
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }).end(body));
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
