// CONNECT benchmark: HTTPS requests through a proxy listener (agent), with a new tunnel per
// request and over kept-alive tunnels, for st-proxy forwarding to a local TLS backend, st-proxy
// with the backend mocked, a TLS-terminating pass-through (st-proxy's leaves, no recording) and
// a plain CONNECT pass-through (no interception) to the same backend, in the same run. Each
// proxy is pinned to CPU 0, the clients and the backend to CPU 1 (where taskset exists); the
// CPU per exchange is the proxy process's user + system time (every thread) from /proc. Then the first handshake for new host names (a certificate to
// make) while other tunnels are busy: it must not stall them.
// Run: npm run build && node --import tsx bench/connect.ts   (BENCH_SECONDS: each measurement's length, BENCH_ROUNDS: A/B rounds, 2)
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { fileURLToPath } from "node:url";
import { ProxyAgent, request } from "undici";
import { cpuMicros, emptyFiles, peakRssMb, pin, removeAtExit, startChild } from "./load.js";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");
const tsx = ["--import", "tsx"];
// st-proxy runs built, as in production: under tsx it serves an order of magnitude fewer requests.
const CLI = join(ROOT, "dist", "cli.js");
const CONCURRENCY = 8;
const PATH = "/api/v2/logs";
// A logs intake batch, about 2 KB of JSON: cheap to decode, so the tunnel's cost shows.
const BODY = Buffer.from(JSON.stringify(Array.from({ length: 12 }, (_, i) => ({ message: `request ${i} handled in 12 ms`.padEnd(120, "."), service: "weblog", ddsource: "nodejs", status: "info" }))));

export interface Rate {
  requests: number;
  seconds: number;
  /** The proxy process's CPU time over the measurement (user + system, every thread), µs. */
  cpuUs: number;
  /** The proxy process's CPU time (user + system, every thread) per exchange, µs. */
  cpuUsPerExchange: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

export interface Target {
  label: string;
  newTunnelPerRequest: Rate;
  /** A new tunnel per request, the client resuming its previous TLS session (Node's clients do; Go's only with a session cache). */
  newTunnelResumed: Rate;
  keepAlive: Rate;
  /** The proxy process's peak resident memory (VmHWM) at the end of its measurements, MB. */
  peakRssMb: number;
}

export interface ConnectBenchResult {
  concurrency: number;
  bodyBytes: number;
  rounds: number;
  /** Whether the proxies ran pinned to CPU 0, the clients and backend to CPU 1. */
  pinned: boolean;
  targets: Target[];
  /** st-proxy's CPU per exchange over the TLS pass-through's. */
  ratios: Record<string, { newTunnelPerRequest: number; newTunnelResumed: number; keepAlive: number }>;
  newHostUnderLoad: {
    /** CONNECT to TLS established, ms: host names st-proxy has not seen vs one it has. */
    newHostHandshakeMs: { p50: number; max: number; count: number };
    knownHostHandshakeMs: { p50: number; max: number; count: number };
    /** Latency of the busy tunnels' requests before and while new hosts were handshaking. */
    busyBeforeMs: { p50: number; p99: number; max: number };
    busyDuringMs: { p50: number; p99: number; max: number };
  };
}

const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

function rate(latencies: number[], errors: number, seconds: number): Rate {
  const s = [...latencies].sort((a, b) => a - b);
  return { requests: s.length, seconds, cpuUs: NaN, cpuUsPerExchange: NaN, rps: s.length / seconds, p50ms: quantile(s, 0.5), p99ms: quantile(s, 0.99), errors };
}

/** Runs one measurement, charging the CPU `pid` used meanwhile to its exchanges. */
async function withCpu(pid: number, run: () => Promise<Rate>): Promise<Rate> {
  const before = cpuMicros(pid);
  const r = await run();
  const cpuUs = cpuMicros(pid) - before;
  return { ...r, cpuUs, cpuUsPerExchange: cpuUs / Math.max(1, r.requests) };
}

/** Rounds of one measurement as one: totals for rates and CPU, the rounds' median percentiles. */
function combine(rounds: Rate[]): Rate {
  const sum = (f: (r: Rate) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  const cpuUs = sum((r) => r.cpuUs);
  return { requests, seconds, cpuUs, cpuUsPerExchange: cpuUs / Math.max(1, requests), rps: requests / seconds, p50ms: median(rounds.map((r) => r.p50ms)), p99ms: median(rounds.map((r) => r.p99ms)), errors: sum((r) => r.errors) };
}

/** One request in a tunnel of its own: CONNECT, TLS handshake, POST, answer, close. Resolves with timings. */
function oneShot(proxyPort: number, host: string, port: number, ca: string, resume?: { session?: Buffer }): Promise<{ handshakeMs: number; totalMs: number; ok: boolean }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const raw = netConnect(proxyPort, "127.0.0.1", () => raw.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`));
    raw.on("error", reject);
    let head = "";
    const onHead = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      raw.off("data", onHead);
      if (!head.startsWith("HTTP/1.1 200")) return reject(new Error(head));
      const tls = tlsConnect({ socket: raw, servername: host, ca, ...(resume?.session ? { session: resume.session } : {}) }, () => {
        const handshakeMs = performance.now() - t0;
        tls.write(`POST ${PATH} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n`);
        tls.write(BODY);
        let answer = "";
        tls.on("data", (c: Buffer) => (answer += c.toString("latin1")));
        tls.on("end", () => {
          tls.destroy();
          resolve({ handshakeMs, totalMs: performance.now() - t0, ok: answer.startsWith("HTTP/1.1 202") });
        });
      });
      // TLS 1.3 tickets come after the handshake; the next tunnel of this client resumes with one.
      if (resume) tls.on("session", (session: Buffer) => (resume.session = session));
      tls.on("error", reject);
    };
    raw.on("data", onHead);
  });
}

/** Requests each in a new tunnel, from CONCURRENCY clients; `resume`: each resumes its previous TLS session (as Node's clients do). */
export async function newTunnels(proxyPort: number, host: string, port: number, ca: string, seconds: number, resume = false): Promise<Rate> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const session = resume ? {} : undefined;
      while (performance.now() < deadline) {
        try {
          const r = await oneShot(proxyPort, host, port, ca, session);
          if (!r.ok) errors++;
          latencies.push(r.totalMs);
        } catch {
          errors++;
        }
      }
    }),
  );
  return rate(latencies, errors, (performance.now() - started) / 1000);
}

/** Requests over kept-alive tunnels (undici's ProxyAgent, as the Lambda extension's client keeps them). */
async function keepAlive(proxyPort: number, origin: string, ca: string, seconds: number, stop?: { until: Promise<void> }, latenciesOut?: { t: number; ms: number }[]): Promise<Rate> {
  const dispatcher = new ProxyAgent({ uri: `http://127.0.0.1:${proxyPort}`, requestTls: { ca } });
  const latencies: number[] = [];
  let errors = 0;
  let stopped = false;
  stop?.until.then(() => (stopped = true));
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (stop ? !stopped : performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const res = await request(origin + PATH, { method: "POST", body: BODY, headers: { "content-type": "application/json" }, dispatcher });
          await res.body.dump();
          if (res.statusCode !== 202) errors++;
        } catch {
          errors++;
        }
        const ms = performance.now() - t0;
        latencies.push(ms);
        latenciesOut?.push({ t: t0, ms });
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await dispatcher.close();
  return rate(latencies, errors, elapsed);
}

export async function benchConnect(opts: { seconds?: number; rounds?: number } = {}): Promise<ConnectBenchResult> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 3);
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 2);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
  const work = mkdtempSync(join(tmpdir(), "st-proxy-bench-connect-"));
  const backendCaDir = join(work, "backend-ca");
  const children: { proc: import("node:child_process").ChildProcess }[] = [];
  try {
    const backend = await startChild(process.execPath, [...tsx, join(ROOT, "bench", "tls-backend.ts"), backendCaDir], /listening (\d+)/);
    children.push(backend);
    const pass = await startChild(process.execPath, [...tsx, join(ROOT, "bench", "connect-pass-through.ts")], /listening (\d+)/);
    children.push(pass);
    const serve = (name: string, extra: string[]) =>
      startChild(
        process.execPath,
        [CLI, "serve", "--listen-host", "127.0.0.1", "--listeners", "agent", "--port", "agent=0", "--log-folder", join(work, name, "logs"), "--confdir", join(work, name, "conf"), ...extra],
        /agent listening on \S+:(\d+)/,
        { ...process.env, SYSTEM_TESTS_MOCKED_BACKEND: "" },
      );
    const forwarding = await serve("forwarding", ["--upstream-ca", join(backendCaDir, "mitmproxy-ca-cert.pem")]);
    children.push(forwarding);
    const mocked = await serve("mocked", ["--mocked-backend"]);
    children.push(mocked);
    // The same CA (and so the same kind of leaf) as the forwarding st-proxy's.
    const tlsPass = await startChild(process.execPath, [join(ROOT, "bench", "tls-pass-through.mjs"), join(work, "forwarding", "conf"), join(backendCaDir, "mitmproxy-ca-cert.pem")], /listening (\d+)/);
    children.push(tlsPass);

    const backendCa = readFileSync(join(backendCaDir, "mitmproxy-ca-cert.pem"), "utf8");
    // The proxies on one core, everything that loads them on the other.
    const pinned = [pass, tlsPass, forwarding, mocked].every((c) => pin(c.proc.pid!, 0)) && pin(backend.proc.pid!, 1) && pin(process.pid, 1);
    const caOf = (name: string) => readFileSync(join(work, name, "conf", "mitmproxy-ca-cert.pem"), "utf8");
    const clean = () => {
      for (const name of ["forwarding", "mocked"]) emptyFiles(join(work, name, "logs"));
    };
    const proxies = [
      { label: "CONNECT pass-through (no interception)", proxy: pass, ca: backendCa },
      { label: "TLS pass-through (st-proxy's leaves, no recording)", proxy: tlsPass, ca: caOf("forwarding") },
      { label: "st-proxy, forwarding", proxy: forwarding, ca: caOf("forwarding") },
      { label: "st-proxy, mocked backend", proxy: mocked, ca: caOf("mocked") },
    ];
    // Warmed up first (JIT, caches, the leaf for the host), so the counted CPU is steady state.
    for (const { proxy, ca } of proxies) await newTunnels(proxy.port, "localhost", backend.port, ca, Math.min(1, seconds / 3));
    clean();
    const modes = {
      newTunnelPerRequest: (port: number, ca: string) => newTunnels(port, "localhost", backend.port, ca, seconds),
      newTunnelResumed: (port: number, ca: string) => newTunnels(port, "localhost", backend.port, ca, seconds, true),
      keepAlive: (port: number, ca: string) => keepAlive(port, `https://localhost:${backend.port}`, ca, seconds),
    };
    // A/B rounds: every proxy in turn within each mode and round, so that a burst of load
    // elsewhere on the machine falls on all of them rather than on one.
    const runs = proxies.map(() => ({ newTunnelPerRequest: [] as Rate[], newTunnelResumed: [] as Rate[], keepAlive: [] as Rate[] }));
    for (let round = 0; round < rounds; round++)
      for (const mode of Object.keys(modes) as (keyof typeof modes)[])
        for (const [i, { proxy, ca }] of proxies.entries()) {
          runs[i][mode].push(await withCpu(proxy.proc.pid!, () => modes[mode](proxy.port, ca)));
          clean();
        }
    const targets: Target[] = proxies.map(({ label, proxy }, i) => ({
      label,
      newTunnelPerRequest: combine(runs[i].newTunnelPerRequest),
      newTunnelResumed: combine(runs[i].newTunnelResumed),
      keepAlive: combine(runs[i].keepAlive),
      peakRssMb: peakRssMb(proxy.proc.pid!),
    }));
    const base = targets[1];
    const ratios = Object.fromEntries(
      targets.slice(2).map((t) => {
        const ratio = (k: "newTunnelPerRequest" | "newTunnelResumed" | "keepAlive") => t[k].cpuUsPerExchange / base[k].cpuUsPerExchange;
        return [t.label, { newTunnelPerRequest: ratio("newTunnelPerRequest"), newTunnelResumed: ratio("newTunnelResumed"), keepAlive: ratio("keepAlive") }];
      }),
    );

    // New host names while CONCURRENCY kept-alive tunnels are busy on the mocked instance.
    const ca = caOf("mocked");
    const busy: { t: number; ms: number }[] = [];
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    const load = keepAlive(mocked.port, "https://trace.agent.datadoghq.com", ca, 0, { until }, busy);
    await new Promise((r) => setTimeout(r, seconds * 500));
    const duringStart = performance.now();
    const newHost: number[] = [];
    const knownHost: number[] = [];
    for (let i = 0; i < 20; i++) {
      newHost.push((await oneShot(mocked.port, `host-${i}-${Date.now()}.bench.example`, 443, ca)).handshakeMs);
      knownHost.push((await oneShot(mocked.port, "trace.agent.datadoghq.com", 443, ca)).handshakeMs);
    }
    const duringEnd = performance.now();
    release();
    await load;
    clean();
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN };
    };
    const before = busy.filter((b) => b.t + b.ms < duringStart).map((b) => b.ms);
    const during = busy.filter((b) => b.t >= duringStart && b.t < duringEnd).map((b) => b.ms);
    const hs = (xs: number[]) => ({ p50: stats(xs).p50, max: stats(xs).max, count: xs.length });
    return {
      concurrency: CONCURRENCY,
      bodyBytes: BODY.length,
      rounds,
      pinned,
      targets,
      ratios,
      newHostUnderLoad: { newHostHandshakeMs: hs(newHost), knownHostHandshakeMs: hs(knownHost), busyBeforeMs: stats(before), busyDuringMs: stats(during) },
    };
  } finally {
    for (const c of children) c.proc.kill("SIGTERM");
    removeAtExit(work);
  }
}

export function format(r: ConnectBenchResult): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "-");
  const lines = [
    `${r.concurrency} concurrent clients, POST ${PATH} with ${r.bodyBytes} bytes of JSON, every st-proxy exchange dumped; ${r.rounds} A/B round(s), the rounds' median p50 / p99; ` +
      (r.pinned ? "proxies pinned to CPU 0, clients and backend to CPU 1." : "not pinned (no taskset)."),
    "",
    "| through | tunnels | req/s | CPU µs / exchange | p50 / p99 ms | errors |",
    "|---|---|---|---|---|---|",
  ];
  for (const t of r.targets)
    for (const [mode, x] of [["new per request", t.newTunnelPerRequest], ["new per request, TLS resumed", t.newTunnelResumed], ["kept alive", t.keepAlive]] as const)
      lines.push(`| ${t.label} | ${mode} | ${f(x.rps)} | ${f(x.cpuUsPerExchange)} | ${f(x.p50ms, 2)} / ${f(x.p99ms, 2)} | ${x.errors} |`);
  lines.push("", `Peak RSS (VmHWM): ${r.targets.map((t) => `${t.label} ${f(t.peakRssMb)} MB`).join("; ")}.`);
  lines.push("", "| CPU per exchange over the TLS pass-through's | new tunnel per request | same, TLS resumed | kept-alive |", "|---|---|---|---|");
  for (const [label, q] of Object.entries(r.ratios)) lines.push(`| ${label} | ${f(q.newTunnelPerRequest, 2)}× | ${f(q.newTunnelResumed, 2)}× | ${f(q.keepAlive, 2)}× |`);
  const n = r.newHostUnderLoad;
  lines.push(
    "",
    `First handshake for a new host name (a leaf to sign) while ${r.concurrency} tunnels are busy: p50 ${f(n.newHostHandshakeMs.p50, 2)} ms, max ${f(n.newHostHandshakeMs.max, 2)} ms over ${n.newHostHandshakeMs.count}; for a known host: p50 ${f(n.knownHostHandshakeMs.p50, 2)} ms, max ${f(n.knownHostHandshakeMs.max, 2)} ms.`,
    `Busy tunnels' request latency before: p50 ${f(n.busyBeforeMs.p50, 2)} / p99 ${f(n.busyBeforeMs.p99, 2)} / max ${f(n.busyBeforeMs.max, 2)} ms; while new hosts handshook: p50 ${f(n.busyDuringMs.p50, 2)} / p99 ${f(n.busyDuringMs.p99, 2)} / max ${f(n.busyDuringMs.max, 2)} ms.`,
  );
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(format(await benchConnect()));
}
