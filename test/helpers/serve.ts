import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI } from "./shared.js";
import { waitUntil } from "./wait.js";

export interface ServeProcess {
  proc: ChildProcess;
  logFolder: string;
  /** Actual port per interface, read from the "listening on" lines. */
  ports: Record<string, number>;
  output: () => string;
  /** Resolves once serve's output (stdout and stderr) matches; fails after a bound, naming it. */
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Sends a signal and waits for the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Folders made by tempDir in this process, removed when it exits. */
const made: string[] = [];
process.once("exit", () => {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // (A folder still mounted on, or busy: left for the system's temp cleaning.)
    }
  }
});

/**
 * A fresh temporary folder, removed when the test process exits (each test file is a process
 * of its own): the suite left one per test behind, ~60,000 folders and 76 GB after a day of
 * runs and mutation testing on this machine, until the disk was full.
 */
export function tempDir(prefix = "st-proxy-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * Starts `st-proxy serve` (the built CLI) as a child process on loopback with every requested
 * listener on a free port, and waits until all of them listen.
 */
export function startServe(args: string[], opts: { env?: NodeJS.ProcessEnv; listeners: string[]; logFolder?: string }): Promise<ServeProcess> {
  const logFolder = opts.logFolder ?? tempDir();
  const portArgs = opts.listeners.flatMap((name) => ["--port", `${name}=0`]);
  const proc = spawn(
    process.execPath,
    [CLI, "serve", "--listen-host", "127.0.0.1", "--log-folder", logFolder, "--listeners", opts.listeners.join(","), ...portArgs, ...args],
    { env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const ports: Record<string, number> = {};
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/st-proxy: (\w+) listening on \S+:(\d+)/g)) ports[m[1]] = Number(m[2]);
      if (opts.listeners.every((n) => ports[n])) {
        proc.stdout!.off("data", onData);
        proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
        resolve({
          proc,
          logFolder,
          ports,
          output: () => out,
          waitForOutput: (pattern, timeoutMs) => waitUntil(() => pattern.test(out), () => `serve to print ${pattern}; it printed:\n${out}`, timeoutMs),
          stop: (signal = "SIGTERM") => {
            if (proc.exitCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    exited.then((code) => reject(new Error(`st-proxy serve exited (${code}) before listening:\n${out}`)));
  });
}
