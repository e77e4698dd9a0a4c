import { execFile } from "node:child_process";
import { copyFileSync, chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { SHARED } from "./shared.js";
import { tempDir } from "./serve.js";
import { readDumps } from "./dumps.js";

const run = promisify(execFile);

/** The system-tests CA (mitmproxy layout) beside the clone, read in place. */
export const SHARED_CA_DIR = join(SHARED, "ca");

/** A confdir holding a copy of the system-tests CA (the original stays untouched, read-only). */
export function confdirWithSharedCa(): string {
  const dir = tempDir("st-proxy-confdir-");
  for (const name of ["mitmproxy-ca.pem", "mitmproxy-ca-cert.pem"]) {
    copyFileSync(join(SHARED_CA_DIR, name), join(dir, name));
    chmodSync(join(dir, name), 0o600);
  }
  return dir;
}

export interface CurlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs curl with no proxy settings inherited from the environment. */
export async function curl(args: string[]): Promise<CurlResult> {
  const env = { ...process.env };
  for (const name of ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]) delete env[name];
  try {
    const { stdout, stderr } = await run("curl", ["--silent", "--show-error", "--max-time", "60", ...args], { env, encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

export async function openssl(args: string[], input?: string): Promise<string> {
  const child = run("openssl", args, { encoding: "utf8" });
  if (input !== undefined) child.child.stdin!.end(input);
  return (await child).stdout;
}

export interface TestPki {
  dir: string;
  /** The test CA's certificate file (what st-proxy's upstream leg is told to trust). */
  caCertFile: string;
  /** A server key and certificate for "localhost" and 127.0.0.1, signed by the test CA. */
  serverKey: string;
  serverCert: string;
}

/** A throw-away CA and a server certificate made by openssl (independent of st-proxy's code). */
export async function makeTestPki(): Promise<TestPki> {
  const dir = tempDir("st-proxy-pki-");
  const f = (name: string) => join(dir, name);
  await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=st-proxy test backend CA"]);
  await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost"]);
  writeFileSync(f("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  await openssl(["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("ext.cnf")]);
  return { dir, caCertFile: f("ca.pem"), serverKey: readFileSync(f("server.key"), "utf8"), serverCert: readFileSync(f("server.pem"), "utf8") };
}

/** Waits until `iface` has at least `count` dumps (a dump is written just after its answer). */
export async function waitForDumps(logFolder: string, iface: string, count: number): Promise<any[]> {
  for (let i = 0; ; i++) {
    const dumps = readDumps(logFolder, iface);
    if (dumps.length >= count) return dumps;
    if (i > 400) throw new Error(`${iface}: ${dumps.length} dumps, expected ${count}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
