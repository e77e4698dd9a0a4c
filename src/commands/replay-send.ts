import { Upstream } from "../forward/upstream.js";
import { loadInterface } from "../replay/load.js";
import { sendRecorded, type SendResult } from "../replay/send.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";

const HELP = `usage: st-proxy replay send FLOWS --target URL [options]

Re-sends the recorded requests of one interface of a recording (FLOWS: a log folder or its .st-proxy/flows
folder) to URL, in recorded order, one at a time, and reports for each whether the new answer's
status and decoded body match the recorded ones. Exit code 0 only when every answer matches.

options:
  --target URL        where to send: http(s)://HOST:PORT
  --interface NAME    which interface's requests (default: the only one, or library)
  --pace              keep the recorded pace: wait between requests as the recording did
  --timeout MS        time to connect, and to wait for an answer (default 30000)
  -h, --help          this text`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { target: { type: "string" }, interface: { type: "string" }, pace: { type: "boolean" }, timeout: { type: "string" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one FLOWS folder");
  const origin = targetOrigin(values.target);
  const timeout = values.timeout === undefined ? 30_000 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError(`--timeout expects milliseconds, got ${JSON.stringify(values.timeout)}`);

  let loaded;
  try {
    loaded = loadInterface(positionals[0], values.interface);
  } catch (error) {
    console.error(`st-proxy replay send: ${(error as Error).message}`);
    return 1;
  }
  for (const { file, reason } of loaded.bad) console.error(`st-proxy replay send: skipped ${file}: ${reason}`);

  const upstream = new Upstream({ connectTimeout: Math.min(timeout, 10_000), responseTimeout: timeout });
  let results: SendResult[];
  try {
    results = await sendRecorded(
      loaded.records.map((r) => ({ name: r.file.dumpName.replace(/\.json$/, ""), exchange: r.exchange })),
      { origin, upstream, pace: values.pace ?? false, onResult: (r) => console.log(describe(r)) },
    );
  } finally {
    await upstream.close();
  }
  const same = results.filter((r) => r.comparison && !r.comparison.detail).length;
  const failed = results.filter((r) => r.error !== undefined).length;
  console.log(
    `st-proxy replay send: ${results.length} ${loaded.interface} requests to ${origin}: ${same} answered as recorded, ` +
      `${results.length - same - failed} differ, ${failed} failed; ${loaded.bad.length} records skipped`,
  );
  return same === results.length && loaded.bad.length === 0 ? 0 : 1;
}

function describe(r: SendResult): string {
  const what = `${r.name} ${r.method} ${r.target}`;
  if (r.error !== undefined) return `FAILED  ${what}: ${r.error}`;
  if (r.comparison?.detail) return `DIFFERS ${what}: ${r.comparison.detail}`;
  return `same    ${what}: ${r.status}`;
}

function targetOrigin(target: string | undefined): string {
  if (target === undefined) throw new UsageError("--target URL is required");
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target: ${JSON.stringify(target)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--target: only http and https URLs, got ${JSON.stringify(target)}`);
  if (url.pathname !== "/" || url.search) throw new UsageError(`--target: the recorded request targets are sent as they are; give only http(s)://HOST:PORT`);
  return url.origin;
}
