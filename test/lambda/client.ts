/** A plain HTTP client for the tests: raw header lines (repeats kept) in both directions. */
import { request } from "node:http";

export interface Reply {
  status: number;
  statusMessage: string;
  /** Response headers as sent, [name, value] per line. */
  headers: [string, string][];
  body: Buffer;
}

export interface Send {
  method?: string;
  path?: string;
  /** Request header lines, repeats allowed. */
  headers?: [string, string][];
  body?: Buffer | string;
}

export function send(port: number, { method = "GET", path = "/", headers = [], body }: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // Headers given as a list (to repeat names) get no automatic Host: add it unless the test sets one.
    const flat: string[] = headers.some(([n]) => n.toLowerCase() === "host") ? [] : ["Host", `127.0.0.1:${port}`];
    for (const [name, value] of headers) flat.push(name, value);
    const req = request({ host: "127.0.0.1", port, method, path, headers: flat, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", headers: pairs, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every value of a response header, whatever its case. */
export function values(reply: Reply, name: string): string[] {
  return reply.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}
