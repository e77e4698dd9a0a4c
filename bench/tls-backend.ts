// A stand-in TLS backend for the CONNECT benchmark: answers every request 202 "Ok" over
// kept-alive HTTPS, with a certificate from a throw-away CA made in the folder given.
// Run: node --import tsx bench/tls-backend.ts DIR   → prints "listening <port>"
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { loadOrCreateCa } from "../src/tls/ca-store.js";
import { LeafCertificates } from "../src/tls/leaf-certificates.js";

const [dir] = process.argv.slice(2);
const leaves = await LeafCertificates.create(await loadOrCreateCa(dir, "st-proxy bench backend"));
const localhost = await leaves.contextFor("localhost");
const server = createServer({ keepAliveTimeout: 60_000, SNICallback: (_name, done) => done(null, localhost) }, (req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(202, { "Content-Type": "text/plain", "Content-Length": "2" }).end("Ok"));
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
