// The baseline: a plain Node pass-through reverse proxy, no decoding, no recording. Streams each
// request to the upstream and the answer back, keeping connections alive on both sides. Plain
// JavaScript, run without a loader, so that its CPU per exchange is the proxying alone.
import { Agent, createServer, request } from "node:http";

const [upstreamPort] = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const up = request({ host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent }, (ur) => {
    res.writeHead(ur.statusCode ?? 502, ur.headers);
    ur.pipe(res);
  });
  up.on("error", () => res.writeHead(502).end());
  req.pipe(up);
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
