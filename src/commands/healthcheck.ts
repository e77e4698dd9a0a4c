import { connect } from "node:net";
import { get } from "node:http";
import { commandArgs } from "./args.js";
import { UsageError } from "./usage.js";

const DEFAULT_TIMEOUT_S = 2;

const HELP = `usage: st-proxy healthcheck TARGET [--timeout SEC]

Exit 0 when TARGET answers, 1 otherwise with one line saying why: a container healthcheck that
needs nothing but st-proxy's image (it has neither python nor curl).

TARGET:
  PORT                  a TCP connection to localhost:PORT is accepted (IPv4 or IPv6)
  HOST:PORT, [V6]:PORT  a TCP connection to HOST:PORT is accepted
  http://HOST:PORT/PATH a GET of that URL is answered with a 2xx status

options (no environment variables):
  --timeout SEC   give up after SEC seconds, connecting and answering together (default ${DEFAULT_TIMEOUT_S})
  -h, --help      this text

In system-tests: \`st-proxy healthcheck 8126\` (proxy; \`[::1]:8126\` with IPv6) and
\`st-proxy healthcheck http://localhost:7777/healthcheck\` (lambda-proxy).`;

export type Target = { kind: "tcp"; host: string; port: number; label: string } | { kind: "http"; url: URL; label: string };

function port(text: string, target: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UsageError(`no valid port in ${JSON.stringify(target)}`);
  return n;
}

/** What to probe, from the command line's TARGET. */
export function parseTarget(target: string): Target {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new UsageError(`not a URL: ${JSON.stringify(target)}`);
    }
    if (url.protocol !== "http:") throw new UsageError(`only http:// URLs are probed, got ${JSON.stringify(target)}`);
    return { kind: "http", url, label: url.href };
  }
  const hostPort = /^(?:\[([^\]]+)\]|([^:[\]]+)):([^:]+)$/.exec(target);
  if (hostPort) return { kind: "tcp", host: hostPort[1] ?? hostPort[2], port: port(hostPort[3], target), label: target };
  if (/^\d+$/.test(target)) return { kind: "tcp", host: "localhost", port: port(target, target), label: `localhost:${target}` };
  throw new UsageError(`TARGET must be PORT, HOST:PORT or an http:// URL, got ${JSON.stringify(target)}`);
}

/** A connection error's reason; with several addresses tried (localhost: ::1 and 127.0.0.1), each one's. */
function reason(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(reason).join("; ");
  return (error as Error).message;
}

/** Resolves with undefined when the target answered, or with why it did not. */
export function probe(target: Target, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settle = (why: string | undefined) => {
      settle = () => {};
      clearTimeout(timer);
      resolve(why);
    };
    let abandon: () => void;
    const timer = setTimeout(() => {
      settle(`no answer within ${timeoutMs / 1000} s`);
      abandon();
    }, timeoutMs);
    if (target.kind === "tcp") {
      const socket = connect({ host: target.host, port: target.port });
      abandon = () => socket.destroy();
      socket.once("connect", () => {
        socket.destroy();
        settle(undefined);
      });
      socket.on("error", (error) => settle(reason(error)));
    } else {
      const request = get(target.url, { agent: false }, (response) => {
        const status = response.statusCode ?? 0;
        response.destroy();
        settle(status >= 200 && status < 300 ? undefined : `answered ${status} ${response.statusMessage ?? ""}`.trimEnd());
      });
      abandon = () => request.destroy();
      request.on("error", (error) => settle(reason(error)));
    }
  });
}

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { timeout: { type: "string" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one TARGET");
  const timeout = Number(values.timeout ?? DEFAULT_TIMEOUT_S);
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw new UsageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
  const target = parseTarget(positionals[0]);
  const why = await probe(target, Math.round(timeout * 1000));
  if (why !== undefined) {
    console.error(`st-proxy healthcheck: ${target.label}: ${why}`);
    return 1;
  }
  console.log(`st-proxy healthcheck: ${target.label} answers`);
  return 0;
}
