// The agent and the Lambda extension are Go programs: a Go net/http client, trusting only the
// system-tests CA, goes through st-proxy's agent listener (CONNECT + TLS st-proxy terminates
// with its ECDSA leaf) and its request is dumped. Debian's golang-go is installed when missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startServe, tempDir } from "../helpers/serve.js";
import { SHARED_PRESENT } from "../helpers/shared.js";
import { SHARED_CA_DIR, confdirWithSharedCa, waitForDumps } from "../helpers/tls.js";

const run = promisify(execFile);
const GO = "/usr/bin/go";

// POSTs a body to URL through PROXY_URL, trusting only the CA in CA_FILE (none: the system's);
// prints what it saw as one JSON line, or the error.
const CLIENT = `package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

func main() {
	proxy, _ := url.Parse(os.Getenv("PROXY_URL"))
	config := &tls.Config{}
	if file := os.Getenv("CA_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		config.RootCAs = x509.NewCertPool()
		config.RootCAs.AppendCertsFromPEM(pem)
	}
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: config}}
	res, err := client.Post(os.Getenv("URL"), "application/x-protobuf", strings.NewReader("go payload"))
	out := map[string]any{}
	if err != nil {
		out["error"] = err.Error()
	} else {
		body, _ := io.ReadAll(res.Body)
		out["status"] = res.StatusCode
		out["body"] = string(body)
		out["keyAlgorithm"] = res.TLS.PeerCertificates[0].PublicKeyAlgorithm.String()
		out["tls13"] = res.TLS.Version == tls.VersionTLS13
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
`;

/** Makes sure Debian's Go is there; returns why not when it cannot be. */
function ensureGo(): string | undefined {
  if (existsSync(GO)) return undefined;
  if (process.getuid?.() !== 0) return `${GO} is missing and installing it needs root (apt-get install golang-go)`;
  try {
    const apt = (args: string[]) => execFileSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    apt(["update"]);
    apt(["install", "-y", "--no-install-recommends", "golang-go"]);
  } catch (error) {
    return `apt-get install golang-go failed: ${(error as Error).message}`;
  }
  return existsSync(GO) ? undefined : `apt-get install golang-go did not give ${GO}`;
}

/** The client, built with the local toolchain and a build cache of its own (kept between runs in the temp folder). */
async function buildClient(): Promise<string> {
  const dir = tempDir("st-proxy-go-client-");
  const cache = join(tmpdir(), "st-proxy-test-go");
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(dir, "main.go"), CLIENT);
  const env = { PATH: process.env.PATH, HOME: dir, GOCACHE: join(cache, "build"), GOPATH: join(cache, "path"), GOTOOLCHAIN: "local" };
  await run(GO, ["build", "-o", join(dir, "client"), join(dir, "main.go")], { cwd: dir, env });
  return join(dir, "client");
}

async function goClient(binary: string, env: Record<string, string>): Promise<any> {
  const { stdout } = await run(binary, [], { env: { PATH: process.env.PATH, ...env } });
  return JSON.parse(stdout.trim());
}

test("a Go net/http client trusting the system-tests CA posts through the agent listener and is dumped", { skip: !SHARED_PRESENT && "../shared (with the system-tests CA) is absent" }, async (t) => {
  const missing = ensureGo();
  if (missing) return t.skip(`no Go toolchain: ${missing}`);
  const binary = await buildClient();
  const proxy = await startServe(["--confdir", confdirWithSharedCa(), "--mocked-backend"], { listeners: ["agent"] });
  try {
    const env = { PROXY_URL: `http://127.0.0.1:${proxy.ports.agent}`, URL: "https://trace.agent.datadoghq.com/api/v0.2/traces" };
    const trusted = await goClient(binary, { ...env, CA_FILE: join(SHARED_CA_DIR, "mitmproxy-ca-cert.pem") });
    assert.deepEqual(trusted, { status: 202, body: "Ok", keyAlgorithm: "ECDSA", tls13: true });

    // Without the CA, Go refuses st-proxy's leaf: the first result is verification passing.
    const untrusted = await goClient(binary, env);
    assert.match(untrusted.error ?? "", /certificate signed by unknown authority/, JSON.stringify(untrusted));

    const [dump] = await waitForDumps(proxy.logFolder, "agent", 1);
    assert.equal(dump.host, "trace.agent.datadoghq.com");
    assert.equal(dump.path, "/api/v0.2/traces");
    assert.equal(dump.request.headers.find(([k]: string[]) => k.toLowerCase() === "user-agent")?.[1], "Go-http-client/1.1");
  } finally {
    await proxy.stop();
  }
});
