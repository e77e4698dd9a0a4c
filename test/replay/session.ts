// Records a real dd-trace session (@6; @5 on Node 20) through `st-proxy serve`, for the replay and validate tests.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { CLI, ROOT } from "../helpers/shared.js";

/** The app instrumented with dd-trace (test/fixtures/dd-trace-app.cjs). */
export const DD_TRACE_APP = join(ROOT, "test", "fixtures", "dd-trace-app.cjs");

/**
 * Children get a bare environment: nothing from this machine that the scrubber would take for a
 * secret, nothing that configures dd-trace behind the test's back.
 */
export function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...extra };
}

export interface Running {
  child: ChildProcess;
  host: string;
  port: number;
  output: () => string;
}

/** Starts an st-proxy command that prints "st-proxy: <iface> listening on http://HOST:PORT". */
export function startListening(args: string[], iface = "library"): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { env: bareEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const pattern = new RegExp(`st-proxy: ${iface} listening on http://(\\S+):(\\d+)`);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = pattern.exec(out);
      if (m) {
        child.stdout!.off("data", onData);
        child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
        resolve({ child, host: m[1], port: Number(m[2]), output: () => out });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => reject(new Error(`st-proxy ${args.join(" ")} exited (${code}) before listening:\n${out}`)));
  });
}

/** SIGTERM, then the exit code. */
export function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve(running.child.exitCode);
    running.child.once("exit", (code) => resolve(code));
    running.child.kill("SIGTERM");
  });
}

/** Runs the dd-trace app against an agent URL; resolves with its exit code and output. */
export function runDdTraceApp(agentUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Dynamic instrumentation makes dd-trace ask the agent's /info too.
  const env = bareEnv({ DD_TRACE_AGENT_URL: agentUrl, DD_DYNAMIC_INSTRUMENTATION_ENABLED: "true", DD_SERVICE: "st-proxy-replay-test" });
  const child = spawn(process.execPath, [DD_TRACE_APP], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

/** serve → dd-trace app → SIGTERM: a live recording in logFolder (dumps and flow records). */
export async function recordDdTraceSession(logFolder: string): Promise<{ app: Awaited<ReturnType<typeof runDdTraceApp>>; serveExit: number | null }> {
  const serve = await startListening(["serve", "--agent-target", "builtin", "--port", "library=0", "--listeners", "library", "--listen-host", "127.0.0.1", "--log-folder", logFolder]);
  const app = await runDdTraceApp(`http://127.0.0.1:${serve.port}`);
  const serveExit = await stop(serve);
  return { app, serveExit };
}
