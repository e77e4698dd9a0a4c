import { eventTypeNamed, eventTypes } from "../lambda/event-types.js";
import { startLambdaProxy } from "../lambda/server.js";
import { commandArgs } from "./args.js";
import { UsageError } from "./usage.js";
import { untilSignalled } from "./lifecycle.js";

const DEFAULTS = { port: 7777, host: "0.0.0.0", rieHost: "lambda-weblog", riePort: 8080, functionName: "function", timeout: 300 };

function help(): string {
  const types = eventTypes();
  const width = Math.max(...types.map((t) => t.name.length));
  return `usage: st-proxy lambda-proxy [options]

Turns each HTTP request into a Lambda event, invokes the function through the Runtime Interface
Emulator (POST http://RIE_HOST:RIE_PORT/2015-03-31/functions/FUNCTION_NAME/invocations), and
turns the function's result back into the HTTP response, as the chosen AWS front end would.
Invocations run one at a time (the RIE serves one at a time); concurrent requests wait their turn.
GET /healthcheck answers "Ok" without invoking; every other path and method is forwarded.
When no usable response comes back (RIE unreachable or failing, the function returning an error
object, a result that does not fit the format) the answer is a 502 whose JSON body gives the reason.
SIGTERM or SIGINT: stop accepting, finish the requests in flight, exit 0 (a second one: exit 1 at once).

options (a flag wins over its environment variable):
  --event-type TYPE       event type (env LAMBDA_EVENT_TYPE; required), one of:
${types.map((t) => `                            ${t.name.padEnd(width)}  ${t.summary}`).join("\n")}
  --port N                port to listen on (default ${DEFAULTS.port}; 0 picks a free one)
  --host ADDRESS          address to listen on (default ${DEFAULTS.host})
  --rie-host HOST         RIE host (env RIE_HOST, default ${DEFAULTS.rieHost})
  --rie-port N            RIE port (env RIE_PORT, default ${DEFAULTS.riePort})
  --function-name NAME    function name in the invoke URL (env FUNCTION_NAME, default ${DEFAULTS.functionName})
  --invoke-timeout SEC    longest wait for one invocation's answer, time in the queue not counted
                          (default ${DEFAULTS.timeout}, the RIE's own default function timeout)
  -h, --help              this text

Prints one line when listening: "st-proxy lambda-proxy: listening on http://HOST:PORT ...".`;
}

function portNumber(text: string, what: string, allowZero: boolean): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535 || (n === 0 && !allowZero)) throw new UsageError(`${what} must be a port number, got ${JSON.stringify(text)}`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(
    argv,
    {
      "event-type": { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "rie-host": { type: "string" },
      "rie-port": { type: "string" },
      "function-name": { type: "string" },
      "invoke-timeout": { type: "string" },
    },
    help(),
  );
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length) throw new UsageError(`takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const env = process.env;
  let eventType;
  try {
    eventType = eventTypeNamed(values["event-type"] ?? env.LAMBDA_EVENT_TYPE);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const timeout = Number(values["invoke-timeout"] ?? DEFAULTS.timeout);
  if (!(timeout > 0)) throw new UsageError(`--invoke-timeout must be a positive number of seconds, got ${JSON.stringify(values["invoke-timeout"])}`);
  const proxy = await startLambdaProxy({
    host: values.host ?? DEFAULTS.host,
    port: portNumber(values.port ?? String(DEFAULTS.port), "--port", true),
    eventType,
    rie: {
      host: values["rie-host"] ?? env.RIE_HOST ?? DEFAULTS.rieHost,
      port: portNumber(values["rie-port"] ?? env.RIE_PORT ?? String(DEFAULTS.riePort), "--rie-port / RIE_PORT", false),
      functionName: values["function-name"] ?? env.FUNCTION_NAME ?? DEFAULTS.functionName,
      timeoutMs: Math.round(timeout * 1000),
    },
    log: (line) => console.error(`st-proxy lambda-proxy: ${line}`),
  });
  const host = values.host ?? DEFAULTS.host;
  console.log(
    `st-proxy lambda-proxy: listening on http://${host.includes(":") ? `[${host}]` : host}:${proxy.port}` +
      ` (event type ${eventType.name}; invoking ${proxy.invokeUrl})`,
  );
  return untilSignalled("st-proxy lambda-proxy", async () => {
    await proxy.close();
    return 0;
  });
}
