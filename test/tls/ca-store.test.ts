// The CA in the confdir: the system-tests one used as found, a new one made (and kept) when absent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadOrCreateCa } from "../../src/tls/ca-store.js";
import { SHARED_PRESENT } from "../helpers/shared.js";
import { tempDir } from "../helpers/serve.js";
import { SHARED_CA_DIR, confdirWithSharedCa, openssl } from "../helpers/tls.js";

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

test("an empty confdir gets a new CA in mitmproxy's layout, its key file readable by the owner only", async () => {
  const dir = join(tempDir(), "not-yet-there");
  const ca = await loadOrCreateCa(dir);
  assert.equal(ca.created, true);
  assert.equal(statSync(join(dir, "mitmproxy-ca.pem")).mode & 0o777, 0o600);
  const both = read(dir, "mitmproxy-ca.pem");
  const certFile = read(dir, "mitmproxy-ca-cert.pem");
  assert.match(both, /-----BEGIN RSA PRIVATE KEY-----/);
  // openssl (not st-proxy) reads both files: the certificate in the key file is the one published.
  const fingerprint = (pem: string) => openssl(["x509", "-noout", "-fingerprint", "-sha256"], pem);
  assert.equal(await fingerprint(both.slice(both.indexOf("-----BEGIN CERTIFICATE"))), await fingerprint(certFile));
  // The key is the certificate's: same modulus.
  const keyModulus = await openssl(["rsa", "-noout", "-modulus"], both.slice(0, both.indexOf("-----BEGIN CERTIFICATE")));
  assert.equal(keyModulus, await openssl(["x509", "-noout", "-modulus"], certFile));
  const text = await openssl(["x509", "-noout", "-text"], certFile);
  assert.match(text, /CA:TRUE/);
  assert.match(text, /Certificate Sign/);
  assert.match(await openssl(["verify", "-CAfile", join(dir, "mitmproxy-ca-cert.pem"), join(dir, "mitmproxy-ca-cert.pem")]), /OK/);
});

test("a confdir whose CA st-proxy made is used again as it is, not remade", async () => {
  const dir = tempDir();
  const first = await loadOrCreateCa(dir);
  const files = [read(dir, "mitmproxy-ca.pem"), read(dir, "mitmproxy-ca-cert.pem")];
  const second = await loadOrCreateCa(dir);
  assert.equal(second.created, false);
  assert.equal(new X509Certificate(second.certificatePem).fingerprint256, new X509Certificate(first.certificatePem).fingerprint256);
  assert.deepEqual([read(dir, "mitmproxy-ca.pem"), read(dir, "mitmproxy-ca-cert.pem")], files);
});

test("two starts at once in an empty confdir end up with one CA", async () => {
  const dir = tempDir();
  const [a, b] = await Promise.all([loadOrCreateCa(dir), loadOrCreateCa(dir)]);
  assert.equal(new X509Certificate(a.certificatePem).fingerprint256, new X509Certificate(b.certificatePem).fingerprint256);
  assert.equal(new X509Certificate(read(dir, "mitmproxy-ca.pem").replace(/^[\s\S]*?(?=-----BEGIN CERTIFICATE)/, "")).fingerprint256, new X509Certificate(a.certificatePem).fingerprint256);
});

test("a confdir whose CA file is not a CA is an error naming the file, and the file is left alone", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "mitmproxy-ca.pem"), "not a pem\n");
  await assert.rejects(loadOrCreateCa(dir), /mitmproxy-ca\.pem.*private key and a certificate/);
  assert.equal(read(dir, "mitmproxy-ca.pem"), "not a pem\n");
});

test("a key that does not belong to the certificate is refused", async () => {
  const a = tempDir();
  const b = tempDir();
  await loadOrCreateCa(a);
  await loadOrCreateCa(b);
  const key = read(a, "mitmproxy-ca.pem").replace(/-----BEGIN CERTIFICATE[\s\S]*$/, "");
  const mixed = join(tempDir(), "mixed");
  mkdirSync(mixed);
  writeFileSync(join(mixed, "mitmproxy-ca.pem"), key + read(b, "mitmproxy-ca-cert.pem"));
  await assert.rejects(loadOrCreateCa(mixed), /does not belong/);
});

test("the system-tests CA is used as found, its files untouched", { skip: !SHARED_PRESENT && "../shared (with the system-tests CA) is absent" }, async () => {
  const dir = confdirWithSharedCa();
  const ca = await loadOrCreateCa(dir);
  assert.equal(ca.created, false);
  assert.equal(new X509Certificate(ca.certificatePem).fingerprint256, new X509Certificate(readFileSync(join(SHARED_CA_DIR, "mitmproxy-ca-cert.pem"))).fingerprint256);
  assert.equal(read(dir, "mitmproxy-ca.pem"), readFileSync(join(SHARED_CA_DIR, "mitmproxy-ca.pem"), "utf8"));
});
