import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Pool } from "undici";

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

/** Sends `body` to url at a fixed concurrency for `seconds`, measuring each request's latency. */
export async function load(origin: string, path: string, body: Buffer, headers: Record<string, string>, concurrency: number, seconds: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ path, method: "PUT", body, headers });
        await res.body.dump();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { requests: latencies.length, seconds: elapsed, rps: latencies.length / elapsed, p50ms: q(0.5), p99ms: q(0.99), errors };
}

/** Starts a child process and waits for its "listening <port>" (or st-proxy's) line. */
export function startChild(cmd: string, args: string[], pattern: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<{ proc: ChildProcess; port: number; output: () => string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"], env });
    let out = "";
    proc.stdout!.on("data", (c: Buffer) => {
      out += c;
      const m = pattern.exec(out);
      if (m) resolve({ proc, port: Number(m[1]), output: () => out });
    });
    proc.on("exit", (code) => reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${out}`)));
  });
}

/** CPU time a process has used so far, every thread (user + system), in microseconds, from /proc. */
export function cpuMicros(pid: number): number {
  const { user, system } = cpuSplitMicros(pid);
  return user + system;
}

/** The process's user and system (kernel) CPU time so far, every thread, in µs. */
export function cpuSplitMicros(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15 (clock ticks).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: (Number(fields[11]) * 1e6) / CLOCK_TICKS, system: (Number(fields[12]) * 1e6) / CLOCK_TICKS };
}

/** The type of the file system holding `dir` (as df names it), or "unknown". */
export function fileSystemType(dir: string): string {
  try {
    return execFileSync("df", ["--output=fstype", dir], { encoding: "utf8" }).trim().split("\n").pop()!.trim();
  } catch {
    return "unknown";
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Pins a process (every thread) to one CPU where taskset exists; false where it cannot. */
export function pin(pid: number, cpu: number): boolean {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Peak resident memory of a process (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resets the peak-RSS mark (Linux: write 5 to clear_refs). */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {}
}

/**
 * Frees the disk space of the files under `dir` (dumps, flow logs) without deleting them, and
 * removes the folder when the benchmark process exits. Deleting between measurements made the
 * next ones pay for it: on an ext4 without a journal (this machine's root), creating a file
 * skips every inode freed in the last minutes, reading each one's table block — up to 40% of
 * st-proxy's CPU in perf after a few thousand deletions. Truncated files keep their inodes.
 */
export function emptyFiles(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isFile()) truncateSync(join(e.parentPath, e.name));
}

export function removeAtExit(dir: string): void {
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
}
