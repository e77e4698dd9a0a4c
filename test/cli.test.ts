// The built command line as a user meets it: the top-level usage, `serve --help`, and mistakes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { CLI } from "./helpers/shared.js";
import { SERVE_OPTIONS, parseServeConfig, type ServeConfig } from "../src/config.js";
import { INTERFACES } from "../src/interfaces.js";

const COMMANDS = ["serve", "decode", "replay", "validate", "lambda-proxy"];

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("no command: the usage, listing every command with its summary, on stdout, exit 2", () => {
  const { status, stdout, stderr } = cli([]);
  assert.equal(status, 2);
  assert.equal(stderr, "");
  const lines = stdout.split("\n");
  assert.equal(lines[0], "usage: st-proxy COMMAND [options]");
  for (const name of COMMANDS) assert.ok(lines.some((l) => new RegExp(`^  ${name} +\\S`).test(l)), `${name} is listed`);
  assert.match(stdout, /`st-proxy COMMAND --help` describes each command's options\./);
});

test("--help, -h and help print the same usage and exit 0; --version prints package.json's", () => {
  const usage = cli([]).stdout;
  for (const flag of ["--help", "-h", "help"]) assert.deepEqual(cli([flag]), { status: 0, stdout: usage, stderr: "" }, flag);
  assert.deepEqual(cli(["--version"]), { status: 0, stdout: "0.1.0\n", stderr: "" });
});

test("an unknown command: named on stderr with the usage, exit 2", () => {
  const { status, stdout, stderr } = cli(["serv"]);
  assert.equal(status, 2);
  assert.equal(stdout, "");
  assert.equal(stderr.split("\n")[0], 'st-proxy: unknown command "serv"');
  assert.match(stderr, /usage: st-proxy COMMAND/);
});

test("serve --help: exit 0, every flag serve accepts is described, and every flag described is accepted", () => {
  const { status, stdout } = cli(["serve", "--help"]);
  assert.equal(status, 0);
  // Flags as the text writes them (not "--redacted--", the placeholder for secrets).
  const described = new Set([...stdout.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*[a-z0-9])(?![\w-])/g)].map((m) => m[1]));
  assert.deepEqual([...described].sort(), Object.keys(SERVE_OPTIONS).sort());
  assert.match(stdout, /^ {2}-h, --help /m);
  // Every interface with its default port, and the same list as --listeners' default.
  for (const i of INTERFACES) assert.ok(stdout.includes(`${i.name}=${i.port}${i.kind === "udp" ? "/udp" : ""}`), `${i.name}'s port`);
});

function config(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  const parsed = parseServeConfig(argv, env, INTERFACES.map((i) => i.name));
  assert.ok(parsed !== "help");
  return parsed;
}

test("serve --help tells the truth about the defaults and the environment variables", () => {
  const help = cli(["serve", "--help"]).stdout;
  const all = INTERFACES.map((i) => i.name);
  const defaults = config([], {});
  // Each default the text states, as parsing nothing gives it.
  const stated: [RegExp, unknown, unknown][] = [
    [/--log-folder DIR .*\(default \.\/logs\)/, defaults.logFolder, "./logs"],
    [/\(default agent:8127\)/, defaults.agentTarget, { host: "agent", port: 8127 }],
    [/--listen-host HOST .*\(default 0\.0\.0\.0, or :: with --ipv6\)/, defaults.listenHost, "0.0.0.0"],
    [/\(default \/app\/logs\)/, defaults.mocksFolder, "/app/logs"],
    [/\(default ~\/\.st-proxy\)/, defaults.confdir, join(homedir(), ".st-proxy")],
    [/--dd-site SITE .*\(default datad0g\.com\)/, defaults.ddSite, "datad0g.com"],
    [/--otlp-agent HOST:PORT .*\(default agent:4318\)/, defaults.otlpAgent, { host: "agent", port: 4318 }],
    [/\(default system-tests-collector:4318\)/, defaults.otlpCollector, { host: "system-tests-collector", port: 4318 }],
    [/dogstatsd datagrams go \(default agent:8125\)/, defaults.dogstatsdTarget, { host: "agent", port: 8125 }],
    [/--flows, --no-flows +keep \(default\)/, defaults.flows, true],
    [/\(default 60000\); connecting waits at most 10000/, [defaults.responseTimeout, defaults.connectTimeout], [60_000, 10_000]],
    [/--mocked-backend/, defaults.mockedBackend, false],
  ];
  for (const [text, actual, expected] of stated) {
    assert.match(help, text);
    assert.deepEqual(actual, expected, String(text));
  }
  assert.deepEqual(defaults.listeners, all);
  // Each environment variable the text names is read, and a flag wins over it.
  const env = {
    SYSTEM_TESTS_LOG_FOLDER: "/env/logs",
    PROXY_TRACING_AGENT_TARGET_HOST: "env-agent",
    PROXY_TRACING_AGENT_TARGET_PORT: "9999",
    SYSTEM_TESTS_IPV6: "True",
    SYSTEM_TESTS_MOCKED_BACKEND: "True",
    DD_SITE: "datadoghq.eu",
  };
  for (const name of Object.keys(env)) assert.ok(help.includes(name), `${name} is named in --help`);
  const fromEnv = config([], env);
  assert.deepEqual(
    [fromEnv.logFolder, fromEnv.agentTarget, fromEnv.listenHost, fromEnv.mockedBackend, fromEnv.ddSite],
    ["/env/logs", { host: "env-agent", port: 9999 }, "::", true, "datadoghq.eu"],
  );
  const flagsWin = config(["--log-folder", "/flag", "--agent-target", "a:1", "--dd-site", "x.com", "--listen-host", "127.0.0.1"], env);
  assert.deepEqual([flagsWin.logFolder, flagsWin.agentTarget, flagsWin.ddSite, flagsWin.listenHost], ["/flag", { host: "a", port: 1 }, "x.com", "127.0.0.1"]);
});

test("serve with an unknown or malformed flag: one line naming it, a pointer to --help, exit 2", () => {
  for (const [args, reason] of [
    [["--bogus"], /Unknown option '--bogus'/],
    [["--port", "library"], /--port expects NAME=PORT, got "library"/],
    [["--upstream-timeout", "soon"], /--upstream-timeout expects milliseconds, got "soon"/],
  ] as const) {
    const { status, stdout, stderr } = cli(["serve", ...args]);
    assert.equal(status, 2, args.join(" "));
    assert.equal(stdout, "");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, stderr);
    assert.match(lines[0], new RegExp(`^st-proxy serve: ${reason.source}$`));
    assert.equal(lines[1], "(see st-proxy serve --help)");
  }
});
