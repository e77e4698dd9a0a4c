// The library listener's promises: nothing lost, faults answered clearly, bodies untouched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Agent, Pool, request } from "undici";
import { startServe } from "../helpers/serve.js";
import { closedPort } from "../helpers/closed-port.js";
import { waitUntil, within } from "../helpers/wait.js";
import { startTestAgent } from "../helpers/stand-in-agent.js";
import { dumpFiles, readDump, readDumps } from "../helpers/dumps.js";
import { recordedFlows } from "../helpers/flows.js";

test("an unreachable agent gets the client a 502 with a one-line reason, and the exchange is dumped", async () => {
  const port = await closedPort();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${port}`], { listeners: ["library"] });
  try {
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/v0.4/traces`, { method: "PUT", body: "[]", headers: { "content-type": "application/json" } });
    const text = await res.body.text();
    assert.equal(res.statusCode, 502);
    assert.equal(text.trim().split("\n").length, 1);
    assert.match(text, /ECONNREFUSED/);
    const [dump] = readDumps(proxy.logFolder, "library");
    assert.equal(dump.response.status_code, 502);
    assert.match(dump.response.content, /ECONNREFUSED/);
    assert.equal(dump.port, port);
    assert.deepEqual(dump.request.content, []);
  } finally {
    await proxy.stop();
  }
});

test("an agent that never answers: 502 after --upstream-timeout, dumped", async () => {
  const silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  const port = (silent.address() as AddressInfo).port;
  const proxy = await startServe(["--agent-target", `127.0.0.1:${port}`, "--upstream-timeout", "300"], { listeners: ["library"] });
  try {
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/info`);
    assert.equal(res.statusCode, 502);
    assert.match(await res.body.text(), /timeout/i);
    assert.equal(readDumps(proxy.logFolder, "library")[0].response.status_code, 502);
  } finally {
    await proxy.stop();
    silent.closeAllConnections();
    silent.close();
  }
});

test("a body that cannot be decoded is forwarded untouched, dumped with raw_content and traceback, and the listener goes on", async () => {
  const agent = await startTestAgent();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"] });
  try {
    const garbage = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x01, 0x7d]); // "{" + junk: not JSON
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/telemetry/proxy/api/v2/apmtelemetry`, {
      method: "POST",
      body: garbage,
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.statusCode, 202);
    await res.body.dump();
    assert.deepEqual(agent.received[0].body, garbage, "forwarded byte for byte");
    const after = await request(`http://127.0.0.1:${proxy.ports.library}/info`);
    assert.equal(after.statusCode, 200);
    await after.body.dump();
    const [bad, good] = readDumps(proxy.logFolder, "library");
    assert.equal(bad.request.content, undefined);
    assert.equal(typeof bad.request.raw_content, "string");
    assert.ok(bad.request.traceback.length > 0);
    assert.equal(good.path, "/info");
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

test("500 concurrent requests make exactly 500 dumps, counters 0..499, appearing in order, each valid JSON whenever it is seen", async () => {
  const agent = await startTestAgent();
  // Two recording threads share the staging folder: their temporary files must never collide.
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`, "--record-threads", "2"], { listeners: ["library"] });
  const dir = join(proxy.logFolder, "interfaces", "library");
  let reads = 0;
  const badReads: string[] = [];
  const outOfOrder: string[] = [];
  let polling = true;
  // A reader polling the folder as the tests container does: every file it sees must parse.
  const poller = (async () => {
    while (polling) {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {}
      // Dumps appear in number order: whatever the reader sees is 00000 … 0000k, no hole.
      const numbers = names.map((n) => Number(n.slice(0, 5))).sort((a, b) => a - b);
      if (numbers.some((n, i) => n !== i)) outOfOrder.push(numbers.join(","));
      for (const n of names) {
        try {
          JSON.parse(readFileSync(join(dir, n), "utf8"));
          reads++;
        } catch (e) {
          badReads.push(`${n}: ${(e as Error).message}`);
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const client = new Agent({ connections: 500 });
  try {
    const all = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        request(`http://127.0.0.1:${proxy.ports.library}/telemetry/proxy/api/v2/apmtelemetry?n=${i}`, {
          method: "POST",
          dispatcher: client,
          body: JSON.stringify({ seq: i, payload: "x".repeat(1000) }),
          headers: { "content-type": "application/json" },
        }).then(async (r) => (await r.body.dump(), r.statusCode)),
      ),
    );
    assert.deepEqual(new Set(all), new Set([202]));
    polling = false;
    await poller;
    const names = readdirSync(dir).sort();
    assert.equal(names.length, 500);
    assert.deepEqual(
      names.map((n) => Number(n.slice(0, 5))),
      Array.from({ length: 500 }, (_, i) => i),
    );
    assert.ok(names.every((n) => /^\d{5}__telemetry_proxy_api_v2_apmtelemetry\.json$/.test(n)), "no temporary files in the polled folder");
    const flows = recordedFlows(proxy.logFolder, "library");
    assert.deepEqual(flows.map((f) => f.dumpName), names, "a flow record per exchange, with its dump's number");
    const seqs = new Set(dumpFiles(proxy.logFolder, "library").map((f) => readDump(f).request.content.seq));
    assert.equal(seqs.size, 500, "every request is in exactly one dump");
    assert.deepEqual(badReads, []);
    assert.deepEqual(outOfOrder.slice(0, 3), [], "a dump appeared before one numbered lower");
    assert.ok(reads > 0);
  } finally {
    polling = false;
    await client.close();
    await proxy.stop();
    await agent.close();
  }
});

test("a 50 MB body goes through, is forwarded whole and dumped with its length", async () => {
  const agent = await startTestAgent();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`, "--no-flows"], { listeners: ["library"] });
  try {
    const big = Buffer.alloc(50 * 1024 * 1024, "a");
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/custom/text`, { method: "POST", body: big, headers: { "content-type": "text/plain" } });
    assert.equal(res.statusCode, 202);
    await res.body.dump();
    assert.equal(agent.received[0].body.length, big.length);
    assert.ok(agent.received[0].body.equals(big));
    assert.equal(readDumps(proxy.logFolder, "library")[0].request.length, big.length);
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

test("keep-alive: many requests over one client connection", async () => {
  const agent = await startTestAgent();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"] });
  const pool = new Pool(`http://127.0.0.1:${proxy.ports.library}`, { connections: 1 });
  let sockets = 0;
  try {
    pool.on("connect", () => sockets++);
    for (let i = 0; i < 20; i++) {
      const r = await pool.request({ path: "/info", method: "GET" });
      assert.equal(r.statusCode, 200);
      await r.body.dump();
    }
    assert.equal(sockets, 1);
    assert.equal(readDumps(proxy.logFolder, "library").length, 20);
  } finally {
    await pool.close();
    await proxy.stop();
    await agent.close();
  }
});

test("SIGTERM: the exchange in flight finishes, is dumped, and serve exits 0", async () => {
  let release: () => void = () => {};
  const arrived = new Promise<void>((resolveArrived) => {
    const slow = createServer((req: IncomingMessage, res) => {
      req.resume();
      resolveArrived();
      release = () => res.writeHead(200, { "content-type": "application/json" }).end('{"late": true}');
    });
    slow.listen(0, "127.0.0.1");
    (globalThis as any).__slow = slow;
  });
  const slow = (globalThis as any).__slow;
  await new Promise((r) => (slow.listening ? r(null) : slow.once("listening", r)));
  const proxy = await startServe(["--agent-target", `127.0.0.1:${slow.address().port}`], { listeners: ["library"] });
  try {
    const pending = request(`http://127.0.0.1:${proxy.ports.library}/info`);
    await arrived;
    const exit = proxy.stop("SIGTERM");
    // Only once serve has taken the signal does releasing the answer test the drain.
    await proxy.waitForOutput(/SIGTERM: finishing /);
    release();
    const res = await within(pending, "the answer to the request in flight at SIGTERM");
    assert.equal(res.statusCode, 200);
    assert.deepEqual(await res.body.json(), { late: true });
    assert.equal(await within(exit, "serve to exit once the exchange in flight was answered"), 0);
    const [dump] = readDumps(proxy.logFolder, "library");
    assert.deepEqual(dump.response.content, { late: true });
  } finally {
    await proxy.stop();
    slow.closeAllConnections();
    slow.close();
  }
});

test("a client that drops mid-body: the partial request is still dumped, and the listener goes on", async () => {
  const agent = await startTestAgent();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"] });
  try {
    await new Promise<void>((resolve) => {
      const sock = connect(proxy.ports.library, "127.0.0.1", () => {
        sock.write("PUT /v0.4/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/msgpack\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(100));
        setTimeout(() => (sock.destroy(), resolve()), 100);
      });
    });
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/info`);
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    // The dropped exchange is recorded when the proxy notices the drop: wait for its dump.
    await waitUntil(() => readDumps(proxy.logFolder, "library").some((d) => d.path === "/v0.4/traces"), "the dump of the dropped exchange");
    const partial = readDumps(proxy.logFolder, "library").find((d) => d.path === "/v0.4/traces");
    assert.ok(partial, "the dropped exchange is recorded");
    assert.equal(partial.response, null);
    assert.equal(partial.request.length, 100);
    assert.match(partial.error, /closed|aborted/);
    assert.equal(agent.received.filter((r) => r.url === "/v0.4/traces").length, 0, "an incomplete body is not forwarded");
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

test("secrets from the environment never reach the disk", async () => {
  const agent = await startTestAgent();
  const secret = "sk-very-secret-value-42";
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"], env: { DD_API_KEY: secret } });
  try {
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/telemetry/proxy/api/v2/apmtelemetry`, {
      method: "POST",
      body: JSON.stringify({ api_key: secret }),
      headers: { "content-type": "application/json", "dd-api-key": secret },
    });
    await res.body.dump();
    assert.deepEqual(JSON.parse(agent.received[0].body.toString()), { api_key: secret }, "forwarded unchanged");
    await proxy.stop();
    const files: string[] = [];
    (function walk(d: string) {
      for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name));
    })(proxy.logFolder);
    assert.ok(files.length >= 2, "dump and flow record written");
    for (const f of files) {
      const text = readFileSync(f, "latin1");
      assert.ok(!text.includes(secret), `${f} holds the secret`);
      assert.ok(!Buffer.from(text, "latin1").toString("base64").includes(Buffer.from(secret).toString("base64")));
    }
    const [dump] = readDumps(proxy.logFolder, "library");
    assert.equal(dump.request.content.api_key, "--redacted--");
  } finally {
    await proxy.stop();
    await agent.close();
  }
});

test("dumps and their folders are writable by anyone, as the Python proxy makes them (umask 0)", async () => {
  const agent = await startTestAgent();
  const proxy = await startServe(["--agent-target", `127.0.0.1:${agent.port}`], { listeners: ["library"] });
  try {
    const res = await request(`http://127.0.0.1:${proxy.ports.library}/info`);
    await res.body.dump();
    const [file] = dumpFiles(proxy.logFolder, "library");
    assert.equal(statSync(file).mode & 0o777, 0o666);
    assert.equal(statSync(join(proxy.logFolder, "interfaces", "library")).mode & 0o777, 0o777);
  } finally {
    await proxy.stop();
    await agent.close();
  }
});
