// `st-proxy lambda-proxy` as a program: the built CLI (dist/cli.js), its help, its refusal of an
// unknown event type, its configuration from environment and flags, and its graceful stop.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { CLI } from "../helpers/shared.js";
import { send } from "./client.js";
import { startRieStandIn, type Answer } from "./rie-stand-in.js";

const TYPES = ["apigateway-rest", "apigateway-http", "function-url", "application-load-balancer", "application-load-balancer-multi"];

/** The environment without the variables the command reads, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of ["LAMBDA_EVENT_TYPE", "RIE_HOST", "RIE_PORT", "FUNCTION_NAME"]) delete base[name];
  return { ...base, ...extra };
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  line: string;
  stderr: () => string;
}

/** Starts the command and waits for its listening line. */
async function start(args: string[], extraEnv: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [CLI, "lambda-proxy", "--host", "127.0.0.1", "--port", "0", ...args], { env: env(extraEnv) });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const first = stdout.split("\n")[0];
      if (stdout.includes("\n")) resolve(first);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\b/.exec(line);
  assert.ok(m, line);
  return { child, port: Number(m[1]), line, stderr: () => stderr };
}

test("--help tells the flags, their environment variables and defaults, and the event types", () => {
  const run = spawnSync(process.execPath, [CLI, "lambda-proxy", "--help"], { env: env(), encoding: "utf8" });
  assert.equal(run.status, 0);
  for (const text of [
    "--event-type", "LAMBDA_EVENT_TYPE",
    "--port", "default 7777",
    "--host", "default 0.0.0.0",
    "--rie-host", "RIE_HOST", "default lambda-weblog",
    "--rie-port", "RIE_PORT", "default 8080",
    "--function-name", "FUNCTION_NAME", "default function",
    "--invoke-timeout", "default 300",
    "/2015-03-31/functions/FUNCTION_NAME/invocations",
    "/healthcheck",
    ...TYPES,
  ]) {
    assert.ok(run.stdout.includes(text), `help lacks ${text}`);
  }
});

test("an unknown or missing event type: refuses to start (exit 2), naming the allowed values", () => {
  for (const [args, extra] of [
    [[], { LAMBDA_EVENT_TYPE: "apigateway-v3" }],
    [["--event-type", "nope"], {}],
    [[], {}],
  ] as [string[], Record<string, string>][]) {
    const run = spawnSync(process.execPath, [CLI, "lambda-proxy", "--port", "0", ...args], { env: env(extra), encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, "");
    for (const allowed of TYPES) assert.ok(run.stderr.includes(allowed), run.stderr);
  }
});

test("an unknown or malformed flag, or an argument: one line and the usage hint, exit 2, as serve answers", () => {
  for (const [args, says] of [
    [["--bogus"], "Unknown option '--bogus'"],
    [["--event-type"], "--event-type"],
    [["--port", "99999", "--event-type", "function-url"], "--port"],
    [["--event-type", "function-url", "extra"], "extra"],
  ] as [string[], string][]) {
    const run = spawnSync(process.execPath, [CLI, "lambda-proxy", ...args], { env: env(), encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, run.stderr);
    assert.ok(lines[0].startsWith("st-proxy lambda-proxy: ") && lines[0].includes(says), lines[0]);
    assert.equal(lines[1], "(see st-proxy lambda-proxy --help)");
  }
});

test("configured from the environment (flags win); /healthcheck answers Ok without invoking; any path is forwarded", async () => {
  const rie = await startRieStandIn((event) => ({ result: { statusCode: 200, body: `${event.requestContext.http.method} ${event.rawPath}` } }), "my-fn");
  const running = await start(["--event-type", "function-url"], {
    LAMBDA_EVENT_TYPE: "not-a-type",
    RIE_HOST: "127.0.0.1",
    RIE_PORT: String(rie.port),
    FUNCTION_NAME: "my-fn",
  });
  try {
    assert.ok(running.line.includes("function-url"), running.line);
    assert.ok(running.line.includes(`http://127.0.0.1:${rie.port}/2015-03-31/functions/my-fn/invocations`), running.line);
    const health = await send(running.port, { path: "/healthcheck" });
    assert.equal(health.status, 200);
    assert.equal(health.body.toString(), "Ok");
    assert.equal(rie.events.length, 0);
    for (const [method, path] of [["GET", "/"], ["DELETE", "/some/where/else"], ["PATCH", "/healthcheck"]]) {
      const reply = await send(running.port, { method, path });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.toString(), `${method} ${path}`);
    }
    assert.equal(rie.events.length, 3);
  } finally {
    running.child.kill("SIGKILL");
    await rie.close();
  }
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal}: the request in flight is answered, then the command exits 0`, async () => {
    let release!: (answer: Answer) => void;
    let invoked!: () => void;
    const invocation = new Promise<void>((resolve) => (invoked = resolve));
    const rie = await startRieStandIn(() => {
      invoked();
      return new Promise<Answer>((resolve) => (release = resolve));
    });
    const running = await start(["--event-type", "apigateway-rest", "--rie-host", "127.0.0.1", "--rie-port", String(rie.port)], {});
    try {
      const exited = once(running.child, "exit");
      const reply = send(running.port, { path: "/slow" });
      await invocation;
      running.child.kill(signal);
      // The signal is seen before the function answers: the stop must wait for it.
      await new Promise((resolve) => running.child.stderr.once("data", resolve));
      release({ result: { statusCode: 200, body: "finished" } });
      const answered = await reply;
      assert.equal(answered.status, 200);
      assert.equal(answered.body.toString(), "finished");
      const [code] = await exited;
      assert.equal(code, 0, running.stderr());
    } finally {
      running.child.kill("SIGKILL");
      await rie.close();
    }
  });
}

test("a second signal while requests are in flight: exits 1 at once", async () => {
  let invoked!: () => void;
  const invocation = new Promise<void>((resolve) => (invoked = resolve));
  const rie = await startRieStandIn(() => {
    invoked();
    return new Promise<Answer>(() => {}); // never answers
  });
  const running = await start(["--event-type", "apigateway-http", "--rie-host", "127.0.0.1", "--rie-port", String(rie.port)], {});
  try {
    const exited = once(running.child, "exit");
    send(running.port, { path: "/stuck" }).catch(() => {});
    await invocation;
    running.child.kill("SIGTERM");
    await new Promise((resolve) => running.child.stderr.once("data", resolve));
    running.child.kill("SIGTERM");
    const [code] = await exited;
    assert.equal(code, 1, running.stderr());
  } finally {
    running.child.kill("SIGKILL");
    await rie.close();
  }
});
