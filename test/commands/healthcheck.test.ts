// `st-proxy healthcheck` as a program (the built CLI), against real listening and closed sockets:
// the TCP form system-tests' proxy healthcheck needs, the URL form its lambda-proxy healthcheck
// needs (against the real lambda-proxy's /healthcheck), and its command-line mistakes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";
import { test } from "node:test";
import { CLI } from "../helpers/shared.js";
import { startRig } from "../lambda/proxy.js";
import { parseTarget } from "../../src/commands/healthcheck.js";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `st-proxy healthcheck ...args` without blocking this process's servers. */
function healthcheck(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, "healthcheck", ...args], (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function listen<S extends Server | HttpServer>(server: S, host = "127.0.0.1"): Promise<number> {
  server.listen(0, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** A port nobody listens on: bound once, then released. */
async function closedPort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  const port = await listen(server, host);
  server.close();
  await once(server, "close");
  return port;
}

test("TCP: exit 0 when the port accepts (bare PORT means localhost), 1 with one line when refused", async () => {
  const server = createServer((socket) => socket.destroy());
  const port = await listen(server);
  try {
    const ok = await healthcheck(`127.0.0.1:${port}`);
    assert.deepEqual([ok.code, ok.stderr], [0, ""]);
    assert.equal(ok.stdout, `st-proxy healthcheck: 127.0.0.1:${port} answers\n`);
    assert.equal((await healthcheck(String(port))).code, 0, "localhost reaches a listener on 127.0.0.1");
  } finally {
    server.close();
  }
  const refused = await closedPort();
  const failed = await healthcheck(String(refused));
  assert.equal(failed.code, 1);
  assert.equal(failed.stdout, "");
  assert.equal(failed.stderr.trimEnd().split("\n").length, 1, failed.stderr);
  assert.match(failed.stderr, new RegExp(`^st-proxy healthcheck: localhost:${refused}: .*ECONNREFUSED`));
});

test("TCP over IPv6: [::1]:PORT, as system-tests' IPv6 scenarios probe", async (t) => {
  const server = createServer((socket) => socket.destroy());
  try {
    server.listen(0, "::1");
    await once(server, "listening");
  } catch {
    t.skip("SKIPPED because this machine has no IPv6 loopback");
    return;
  }
  const { port } = server.address() as AddressInfo;
  try {
    assert.equal((await healthcheck(`[::1]:${port}`)).code, 0);
  } finally {
    server.close();
  }
  assert.equal((await healthcheck(`[::1]:${await closedPort("::1")}`)).code, 1);
});

test("HTTP: exit 0 on a 2xx answer, 1 on another status, on a refused connection, or when no answer comes in --timeout", async () => {
  let status = 200;
  const seen: string[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.statusCode = status;
    res.end("Ok");
  });
  const port = await listen(server);
  const silent = createServer(() => {}); // accepts, never answers
  const silentPort = await listen(silent);
  try {
    const ok = await healthcheck(`http://localhost:${port}/healthcheck`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(seen, ["GET /healthcheck"]);

    status = 503;
    const unhealthy = await healthcheck(`http://127.0.0.1:${port}/healthcheck`);
    assert.equal(unhealthy.code, 1);
    assert.equal(unhealthy.stderr, `st-proxy healthcheck: http://127.0.0.1:${port}/healthcheck: answered 503 Service Unavailable\n`);

    const hung = await healthcheck(`http://127.0.0.1:${silentPort}/`, "--timeout", "0.3");
    assert.equal(hung.code, 1);
    assert.equal(hung.stderr, `st-proxy healthcheck: http://127.0.0.1:${silentPort}/: no answer within 0.3 s\n`);

    const refused = await healthcheck(`http://127.0.0.1:${await closedPort()}/healthcheck`);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ECONNREFUSED/);
  } finally {
    server.close();
    silent.close();
  }
});

test("HTTP: the real lambda-proxy's /healthcheck answers (the lambda-proxy container's healthcheck)", async () => {
  const rig = await startRig("apigateway-rest");
  try {
    const ok = await healthcheck(`http://localhost:${rig.proxy.port}/healthcheck`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(rig.rie.events, [], "the healthcheck invokes nothing");
  } finally {
    await rig.close();
  }
});

test("command line: --help lists every flag; a malformed TARGET, an unknown flag, a bad --timeout: one line and exit 2", async () => {
  const help = await healthcheck("--help");
  assert.equal(help.code, 0);
  for (const text of ["usage: st-proxy healthcheck TARGET", "--timeout SEC", "(default 2)", "-h, --help", "http://HOST:PORT/PATH"]) assert.ok(help.stdout.includes(text), text);

  for (const args of [[], ["8126", "8127"], ["localhost"], ["host:99999"], ["https://localhost:7777/"], ["--nope", "8126"], ["8126", "--timeout", "0"], ["8126", "--timeout", "soon"]]) {
    const wrong = await healthcheck(...args);
    assert.equal(wrong.code, 2, `${args.join(" ")}: ${wrong.stderr}`);
    assert.match(wrong.stderr, /^st-proxy healthcheck: .*\n\(see st-proxy healthcheck --help\)\n$/, args.join(" "));
  }
});

test("parseTarget: PORT, HOST:PORT, [IPv6]:PORT and http:// URLs", () => {
  assert.deepEqual(parseTarget("8126"), { kind: "tcp", host: "localhost", port: 8126, label: "localhost:8126" });
  assert.deepEqual(parseTarget("proxy:8126"), { kind: "tcp", host: "proxy", port: 8126, label: "proxy:8126" });
  assert.deepEqual(parseTarget("[::1]:8126"), { kind: "tcp", host: "::1", port: 8126, label: "[::1]:8126" });
  const url = parseTarget("http://localhost:7777/healthcheck");
  assert.equal(url.kind, "http");
  assert.equal(url.kind === "http" && url.url.href, "http://localhost:7777/healthcheck");
});
