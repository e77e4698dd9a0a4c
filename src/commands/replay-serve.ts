import { Scrubber, secretsFromEnv } from "../record/scrub.js";
import { loadInterface } from "../replay/load.js";
import { startReplayServer } from "../replay/server.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";
import { untilSignalled } from "./lifecycle.js";

const HELP = `usage: st-proxy replay serve FLOWS [options]

Listens, and answers each request with the recorded response of the best-matching recorded
request of one interface (FLOWS: a log folder, or its
interfaces/.st-proxy/flows folder): first the same method, target
and body; then the same method and path, in recorded order (each recorded answer is used once,
then the last one keeps answering). So a tracer runs offline against a recorded agent.
A request that matches nothing gets 404 with the reason. Every exchange is recorded in
LOG_FOLDER as \`st-proxy serve\` records it.

options:
  --port N             port to listen on (default 8126; 0 = any free port)
  --listen-host HOST   address to listen on (default 0.0.0.0)
  --interface NAME     which interface's recording (default: the only one, or library)
  --log-folder DIR     where the replayed exchanges are recorded [SYSTEM_TESTS_LOG_FOLDER]
                       (default ./logs-replay)
  --no-flows           do not keep flow records of the replayed exchanges
  -h, --help           this text

Prints "st-proxy: <interface> listening on <address>" once ready.
SIGTERM / SIGINT: stop accepting, record the exchanges in flight, exit.`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(
    argv,
    { port: { type: "string" }, "listen-host": { type: "string" }, interface: { type: "string" }, "log-folder": { type: "string" }, "no-flows": { type: "boolean" } },
    HELP,
  );
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one FLOWS folder");
  const port = values.port === undefined ? 8126 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "8126") || port > 65535) throw new UsageError(`--port: ${JSON.stringify(values.port)} is not a port number`);

  let loaded;
  try {
    loaded = loadInterface(positionals[0], values.interface);
  } catch (error) {
    console.error(`st-proxy replay serve: ${(error as Error).message}`);
    return 1;
  }
  for (const { file, reason } of loaded.bad) console.error(`st-proxy replay serve: skipped ${file}: ${reason}`);
  const log = (line: string) => console.log(`st-proxy: ${line}`);
  log(`replaying ${loaded.records.length} recorded ${loaded.interface} exchanges from ${positionals[0]}`);

  const server = await startReplayServer({
    interface: loaded.interface,
    exchanges: loaded.records.map((r) => r.exchange),
    listenHost: values["listen-host"] ?? "0.0.0.0",
    port,
    logFolder: values["log-folder"] ?? process.env.SYSTEM_TESTS_LOG_FOLDER ?? "./logs-replay",
    flows: !values["no-flows"],
    scrubber: new Scrubber(secretsFromEnv(process.env)),
    log,
  }).catch((error: Error) => {
    console.error(`st-proxy replay serve: ${error.message}`);
    return undefined;
  });
  if (!server) return 1;

  return untilSignalled(
    "st-proxy replay serve",
    async () => {
      await server.shutdown();
      log("stopped");
      return server.recorder.writeFailures > 0 ? 1 : 0;
    },
    (line) => log(line.replace(/^st-proxy replay serve: /, "")),
  );
}
