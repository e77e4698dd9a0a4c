// The TLS baseline for the CONNECT benchmark: accepts CONNECT, terminates the client's TLS with
// a leaf made exactly as st-proxy makes its own (st-proxy's built dist/tls, so the same key type
// and CA), and forwards each request to the backend over kept-alive TLS. No recording, no
// decoding. Plain JavaScript run without a loader, so that its CPU per exchange is the TLS
// proxying alone.
// Run: node bench/tls-pass-through.mjs CONFDIR BACKEND_CA_PEM   → prints "listening <port>"
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { createServer } from "node:http";
import { TLSSocket } from "node:tls";
import { interceptionCertificates } from "../dist/tls/index.js";

const [confdir, backendCaPath] = process.argv.slice(2);
const leaves = await interceptionCertificates(confdir, () => {});
const upstream = new Agent({ keepAlive: true, maxSockets: 256, ca: readFileSync(backendCaPath, "utf8") });

const endToEnd = ({ connection: _c, "keep-alive": _k, "proxy-connection": _p, ...headers }) => headers;

// Requests inside tunnels: an HTTP server never bound to a port, fed the decrypted sockets.
const inner = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const { host, port } = req.socket.target;
  // Hop-by-hop headers stay on their hop (st-proxy drops them too): a client's "Connection: close"
  // must not close the kept-alive upstream connection, nor the backend's keep-alive the tunnel.
  const up = request({ host: "127.0.0.1", servername: host, port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent: upstream }, (ur) => {
    res.writeHead(ur.statusCode ?? 502, endToEnd(ur.headers));
    ur.pipe(res);
  });
  up.on("error", () => res.writeHead(502).end());
  req.pipe(up);
});

const outer = createServer((_req, res) => res.writeHead(405).end());
outer.on("connect", async (req, raw, head) => {
  const i = (req.url ?? "").lastIndexOf(":");
  const target = { host: req.url.slice(0, i), port: Number(req.url.slice(i + 1)) };
  raw.on("error", () => raw.destroy());
  raw.write("HTTP/1.1 200 Connection established\r\n\r\n");
  if (head.length) raw.unshift(head);
  const tls = new TLSSocket(raw, { isServer: true, secureContext: await leaves.contextFor(target.host), ALPNProtocols: ["http/1.1"] });
  tls.target = target;
  tls.on("error", () => tls.destroy());
  tls.once("secure", () => inner.emit("connection", tls));
});
outer.listen(0, "127.0.0.1", () => console.log(`listening ${outer.address().port}`));
