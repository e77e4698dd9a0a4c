// The floor under any recording proxy that keeps one dump file per exchange: a pass-through that
// buffers each exchange and, before answering, writes two files the size st-proxy writes (a dump
// ≈ 2.2× the body, a flow record ≈ 1.4×) to a staging folder and renames them into place. No
// decoding at all. If this is far below the plain pass-through, so is every recording proxy.
import { Agent, createServer, request } from "node:http";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

const [upstreamPort] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "st-proxy-floor-"));
for (const d of ["staging", "interfaces", "flows"]) mkdirSync(join(dir, d));
process.on("SIGTERM", () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
let n = 0;
const write = (sub: string, data: string) => {
  const tmp = join(dir, "staging", String(n));
  writeFileSync(tmp, data);
  renameSync(tmp, join(dir, sub, `${String(n++).padStart(5, "0")}.json`));
};
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const up = request({ host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent }, (ur) => {
      const answer: Buffer[] = [];
      ur.on("data", (c: Buffer) => answer.push(c));
      ur.on("end", () => {
        const b64 = body.toString("base64");
        write("interfaces", b64 + b64.slice(0, b64.length / 2));
        write("flows", b64);
        res.writeHead(ur.statusCode ?? 502, ur.headers).end(Buffer.concat(answer));
      });
    });
    up.on("error", () => res.writeHead(502).end());
    up.end(body);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
