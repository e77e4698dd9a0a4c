// `st-proxy view`: flags, refusals, and what it serves (read-only, strict CSP) on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { get as httpGet } from "node:http";
import { CLI } from "../helpers/shared.js";
import { newLogFolder } from "../view/recorded-folder.js";

const st = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("view --help tells every flag; mistakes are one line and exit 2", () => {
  const help = st("view", "--help");
  assert.equal(help.status, 0);
  for (const flag of ["--port N", "--host H", "default 11112", "default 127.0.0.1", "-h, --help"]) assert.ok(help.stdout.includes(flag), flag);
  assert.equal(st("view", "x", "--nope").status, 2);
  const badPort = st("view", "x", "--port", "http");
  assert.equal(badPort.status, 2);
  assert.match(badPort.stderr, /^st-proxy view: --port: "http" is not a port number\n/);
  assert.equal(st("view").status, 2);
  const notFolder = st("view", join(newLogFolder(), "absent"));
  assert.equal(notFolder.status, 1);
});

test("serves the page on 127.0.0.1 by default, to loopback names only, read-only, with a strict CSP", async () => {
  const folder = newLogFolder();
  mkdirSync(join(folder, "interfaces"));
  const proc = spawn(process.execPath, [CLI, "view", folder, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      proc.stdout!.on("data", (c: Buffer) => {
        out += c;
        const m = / at (http:\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      proc.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/ui\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    const html = await page.text();
    // No inline script: every script is a file.
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.equal((await fetch(url, { method: "POST" })).status, 405);
    assert.equal((await fetch(`${url}api/dump?i=..&n=00000__x.json`)).status, 400);
    assert.equal((await fetch(`${url}api/dump?i=library&n=..%2F..%2Fetc%2Fpasswd`)).status, 400);
    assert.equal((await fetch(`${url}../../package.json`)).status, 404);
    // A page elsewhere that rebinds its host name to 127.0.0.1 gets nothing.
    const withHost = (host: string) =>
      new Promise<number>((resolve, reject) => httpGet(`${url}api/list`, { headers: { Host: host } }, (res) => (res.resume(), resolve(res.statusCode!))).on("error", reject));
    assert.equal(await withHost("attacker.example:80"), 421);
    assert.equal(await withHost("attacker.example"), 421);
    assert.equal(await withHost(`localhost:${new URL(url).port}`), 200);
    assert.equal(await withHost(`[::1]:${new URL(url).port}`), 200);
  } finally {
    proc.kill("SIGTERM");
  }
});
