import { homedir } from "node:os";
import { join } from "node:path";
import { INTERFACES, interfaceByName } from "./interfaces.js";
import { UsageError } from "./commands/usage.js";
import { parseFlags } from "./commands/args.js";
import { unbracketHost } from "./net/host.js";
import { DEFAULT_MAX_BODY_SIZE, MAX_RAW_CONTENT_BYTES } from "./decode/limits.js";
import { DEFAULT_IN_FLIGHT_LIMIT } from "./proxy/in-flight.js";
import { LARGE_EXCHANGE } from "./record/recorder.js";

export interface HostPort {
  host: string;
  port: number;
}

/** Everything `st-proxy serve` needs, from the environment (as the Python proxy reads it) and flags. */
export interface ServeConfig {
  logFolder: string;
  /** Where tracer traffic goes; "builtin" starts the embedded stand-in agent. */
  agentTarget: { host: string; port: number } | "builtin";
  listenHost: string;
  /** Port per interface name. */
  ports: Record<string, number>;
  /** Interfaces to start. */
  listeners: string[];
  mockedBackend: boolean;
  mocksFolder: string;
  confdir: string;
  /** PEM file of extra CAs trusted for https upstreams (forwarded backend traffic). */
  upstreamCa?: string;
  ddSite: string;
  /** The open_telemetry listener's `agent` and `collector` routes (plain HTTP OTLP). */
  otlpAgent: HostPort;
  otlpCollector: HostPort;
  /** Where the dogstatsd listener forwards datagrams. */
  dogstatsdTarget: HostPort;
  flows: boolean;
  /** Threads that make the dumps of large exchanges (0: all on the event loop). */
  recordThreads: number;
  /** Bodies decoding to more bytes than this are recorded undecoded. */
  maxBodySize: number;
  /** Bytes of bodies in flight (received, not yet recorded) before listeners stop reading. */
  bufferLimit: number;
  /** Milliseconds. */
  connectTimeout: number;
  responseTimeout: number;
}

export const SERVE_OPTIONS = {
  "log-folder": { type: "string" },
  "agent-target": { type: "string" },
  "listen-host": { type: "string" },
  ipv6: { type: "boolean" },
  port: { type: "string", multiple: true },
  listeners: { type: "string" },
  "mocked-backend": { type: "boolean" },
  "mocks-folder": { type: "string" },
  confdir: { type: "string" },
  "upstream-ca": { type: "string" },
  "dd-site": { type: "string" },
  "otlp-agent": { type: "string" },
  "otlp-collector": { type: "string" },
  "dogstatsd-target": { type: "string" },
  flows: { type: "boolean" },
  "no-flows": { type: "boolean" },
  "upstream-timeout": { type: "string" },
  "record-threads": { type: "string" },
  "max-body-size": { type: "string" },
  "buffer-limit": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function serveHelp(available: readonly string[]): string {
  const ports = INTERFACES.map((i) => `${i.name}=${i.port}${i.kind === "udp" ? "/udp" : ""}`).join(", ");
  return `usage: st-proxy serve [options]

Runs the listeners: each interface on its own port, every exchange forwarded (or answered)
and recorded as a dump in <log folder>/interfaces/<interface>/NNNNN_<path>.json.

options (environment variable in brackets; a flag given wins over its variable):
  --log-folder DIR         where dumps go [SYSTEM_TESTS_LOG_FOLDER] (default ./logs)
  --agent-target HOST:PORT where tracer traffic is forwarded
                           [PROXY_TRACING_AGENT_TARGET_HOST, PROXY_TRACING_AGENT_TARGET_PORT]
                           (default agent:8127); "builtin" starts an embedded stand-in agent
  --listen-host HOST       address to listen on (default 0.0.0.0, or :: with --ipv6)
  --ipv6                   listen on :: [SYSTEM_TESTS_IPV6=True]
  --port NAME=PORT         change one interface's port (repeatable; 0 = any free port)
                           defaults: ${ports}
  --listeners A,B,...      start only these interfaces (default: all of: ${available.join(", ")})
  --mocked-backend         answer backend traffic locally [SYSTEM_TESTS_MOCKED_BACKEND=True]
  --mocks-folder DIR       where the session-wide mocks internal_mocked_tracer_responses.json
                           and internal_mocked_backend_responses.json are read at start
                           (default /app/logs); a missing file is no mocks, a malformed one
                           stops the start
  --confdir DIR            CA that signs intercepted TLS, mitmproxy layout: mitmproxy-ca.pem
                           (key + certificate) and mitmproxy-ca-cert.pem; used as found,
                           created there when absent (default ~/.st-proxy)
  --upstream-ca FILE       PEM of extra CAs trusted when forwarding to https backends,
                           besides the system ones (e.g. a test backend's CA)
  --dd-site SITE           Datadog site for OTLP intake routes [DD_SITE] (default datad0g.com)
  --otlp-agent HOST:PORT   open_telemetry's "dd-otlp-path: agent" route (default agent:4318)
  --otlp-collector HOST:PORT
                           its "collector" route (default system-tests-collector:4318)
  --dogstatsd-target HOST:PORT
                           where dogstatsd datagrams go (default agent:8125)
  --flows, --no-flows      keep (default) or not the raw exchanges (flow records), one
                           file per interface in <log folder>/interfaces/.st-proxy/flows/
  --upstream-timeout MS    longest wait for the upstream's answer, and for each part of its
                           body (default 60000); connecting waits at most 10000 of it
  --record-threads N       threads that make the dumps of large exchanges (bodies of
                           ${LARGE_EXCHANGE / 1024} KiB and more), off the listeners' event loop; smaller
                           ones are cheaper on it (default 1; 0 = none)
  --max-body-size MB       a body that is, or decompresses to, more than this is recorded
                           undecoded: the dump has its first ${MAX_RAW_CONTENT_BYTES / 1024} KiB as raw_content and says
                           why (default ${DEFAULT_MAX_BODY_SIZE / 1048576}); it is still forwarded untouched and kept
                           whole in the flow record
  --buffer-limit MB        bodies of exchanges in flight (received, not yet recorded) at
                           most; past it listeners stop reading requests until recording
                           catches up, so memory stays bounded (default ${DEFAULT_IN_FLIGHT_LIMIT / 1048576}; one
                           exchange alone may always pass it)
  -h, --help               this text

Secrets: the value of every environment variable whose name matches
key|token|secret|pass|docker_login (case-insensitive, value longer than 6 characters) is
replaced by --redacted-- in everything written to disk.

Mock API (commands listener): PUT /mocked_tracer_responses or /mocked_backend_responses with
a JSON list of definitions ({"type": <class name>, ...}) replaces that runtime list: 200 Ok,
or 400 with the reason (the previous list stays). Tracer mocks edit the answers of library and
the buddies; backend mocks answer backend traffic when the backend is mocked.

Each listener prints "st-proxy: <interface> listening on <address>" once ready
(udp://HOST:PORT for dogstatsd).
SIGTERM / SIGINT: stop accepting, finish the exchanges in flight, write their dumps, exit 0
(1 if a dump could not be written during the run).`;
}

export function parseServeConfig(argv: string[], env: NodeJS.ProcessEnv, available: readonly string[]): ServeConfig | "help" {
  const { values } = parseFlags(argv, SERVE_OPTIONS, false);
  if (values.help) return "help";

  const ipv6 = values.ipv6 ?? env.SYSTEM_TESTS_IPV6 === "True";
  const ports: Record<string, number> = Object.fromEntries(INTERFACES.map((i) => [i.name, i.port]));
  for (const item of values.port ?? []) {
    const m = /^([a-z_]+)=(\d+)$/.exec(item);
    if (!m) throw new UsageError(`--port expects NAME=PORT, got ${JSON.stringify(item)}`);
    if (!interfaceByName(m[1])) throw new UsageError(`--port: unknown interface ${JSON.stringify(m[1])} (known: ${INTERFACES.map((i) => i.name).join(", ")})`);
    ports[m[1]] = portNumber(m[2], "--port");
  }

  let listeners = [...available];
  if (values.listeners !== undefined) {
    listeners = values.listeners.split(",").map((s) => s.trim()).filter(Boolean);
    for (const name of listeners)
      if (!available.includes(name)) throw new UsageError(`--listeners: ${JSON.stringify(name)} is not an interface st-proxy can serve (available: ${available.join(", ")})`);
  }

  return {
    logFolder: values["log-folder"] ?? env.SYSTEM_TESTS_LOG_FOLDER ?? "./logs",
    agentTarget: agentTarget(values["agent-target"], env),
    listenHost: values["listen-host"] ?? (ipv6 ? "::" : "0.0.0.0"),
    ports,
    listeners,
    mockedBackend: values["mocked-backend"] ?? env.SYSTEM_TESTS_MOCKED_BACKEND === "True",
    mocksFolder: values["mocks-folder"] ?? "/app/logs",
    confdir: values.confdir ?? join(homedir(), ".st-proxy"),
    ...(values["upstream-ca"] !== undefined ? { upstreamCa: values["upstream-ca"] } : {}),
    ddSite: values["dd-site"] ?? env.DD_SITE ?? "datad0g.com",
    otlpAgent: hostPort(values["otlp-agent"], "--otlp-agent", { host: "agent", port: 4318 }),
    otlpCollector: hostPort(values["otlp-collector"], "--otlp-collector", { host: "system-tests-collector", port: 4318 }),
    dogstatsdTarget: hostPort(values["dogstatsd-target"], "--dogstatsd-target", { host: "agent", port: 8125 }),
    flows: values["no-flows"] ? false : (values.flows ?? true),
    recordThreads: values["record-threads"] === undefined ? 1 : count(values["record-threads"], "--record-threads"),
    maxBodySize: megabytes(values["max-body-size"], "--max-body-size", DEFAULT_MAX_BODY_SIZE),
    bufferLimit: megabytes(values["buffer-limit"], "--buffer-limit", DEFAULT_IN_FLIGHT_LIMIT),
    connectTimeout: Math.min(10_000, timeout(values["upstream-timeout"])),
    responseTimeout: timeout(values["upstream-timeout"]),
  };
}

function agentTarget(flag: string | undefined, env: NodeJS.ProcessEnv): ServeConfig["agentTarget"] {
  if (flag === "builtin") return "builtin";
  if (flag !== undefined) {
    if (!/:\d+$/.test(flag)) throw new UsageError(`--agent-target expects HOST:PORT or builtin, got ${JSON.stringify(flag)}`);
    return hostPort(flag, "--agent-target", { host: "", port: 0 });
  }
  const port = env.PROXY_TRACING_AGENT_TARGET_PORT ?? "8127";
  return { host: env.PROXY_TRACING_AGENT_TARGET_HOST ?? "agent", port: portNumber(port, "PROXY_TRACING_AGENT_TARGET_PORT") };
}

function hostPort(flag: string | undefined, what: string, fallback: HostPort): HostPort {
  if (flag === undefined) return fallback;
  const m = /^(.+):(\d+)$/.exec(flag);
  if (!m) throw new UsageError(`${what} expects HOST:PORT, got ${JSON.stringify(flag)}`);
  return { host: unbracketHost(m[1]), port: portNumber(m[2], what) };
}

function portNumber(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`${what}: ${JSON.stringify(text)} is not a port number`);
  return n;
}

function megabytes(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n <= 0) throw new UsageError(`${what} expects a size in MB (a positive number), got ${JSON.stringify(text)}`);
  return Math.round(n * 1024 * 1024);
}

function count(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 64) throw new UsageError(`${what} expects a number from 0 to 64, got ${JSON.stringify(text)}`);
  return Number(text);
}

function timeout(text: string | undefined): number {
  if (text === undefined) return 60_000;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n <= 0) throw new UsageError(`--upstream-timeout expects milliseconds, got ${JSON.stringify(text)}`);
  return n;
}
