// Leaf certificates: signed by the CA, named for the host, made once per host, one key for all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TLSSocket, connect, createServer, type PeerCertificate } from "node:tls";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { loadOrCreateCa } from "../../src/tls/ca-store.js";
import { LeafCertificates } from "../../src/tls/leaf-certificates.js";
import { SHARED_PRESENT } from "../helpers/shared.js";
import { tempDir } from "../helpers/serve.js";
import { confdirWithSharedCa, openssl } from "../helpers/tls.js";

/** A TLS server presenting LeafCertificates by SNI; resolves with what a verifying client saw. */
async function handshake(leaves: LeafCertificates, servername: string): Promise<{ authorized: boolean; error?: string; cert: PeerCertificate; pem: string }> {
  const server = createServer({
    SNICallback: (name, done) => leaves.contextFor(name).then((c) => done(null, c), done),
  });
  server.on("secureConnection", (s: TLSSocket) => s.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    return await new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, servername, ca: leaves.ca.certificatePem, rejectUnauthorized: false }, () => {
        // (Node 20 answers getPeerCertificate() with {} once getPeerX509Certificate() was called.)
        const cert = socket.getPeerCertificate();
        resolve({ authorized: socket.authorized, error: socket.authorizationError?.toString(), cert, pem: socket.getPeerX509Certificate()!.toString() });
        socket.destroy();
      });
      socket.on("error", reject);
    });
  } finally {
    server.close();
  }
}

test("a client trusting only the CA verifies the leaf for the name it asked (Node's verifier and openssl's)", async () => {
  const leaves = await LeafCertificates.create(await loadOrCreateCa(tempDir()));
  const seen = await handshake(leaves, "trace.agent.datadoghq.com");
  assert.equal(seen.error, undefined);
  assert.equal(seen.authorized, true);
  assert.equal(seen.cert.subjectaltname, "DNS:trace.agent.datadoghq.com");
  assert.equal(seen.cert.subject.CN, "trace.agent.datadoghq.com");
  const dir = tempDir();
  writeFileSync(join(dir, "ca.pem"), leaves.ca.certificatePem);
  writeFileSync(join(dir, "leaf.pem"), seen.pem);
  assert.match(await openssl(["verify", "-CAfile", join(dir, "ca.pem"), "-purpose", "sslserver", "-verify_hostname", "trace.agent.datadoghq.com", join(dir, "leaf.pem")]), /leaf\.pem: OK/);
});

test("leaves signed by the system-tests CA verify against it", { skip: !SHARED_PRESENT && "../shared (with the system-tests CA) is absent" }, async () => {
  const dir = confdirWithSharedCa();
  const leaves = await LeafCertificates.create(await loadOrCreateCa(dir));
  const seen = await handshake(leaves, "intake.profile.datadoghq.com");
  assert.equal(seen.authorized, true, seen.error);
  assert.equal(seen.cert.issuer.CN, "mitmproxy");
  writeFileSync(join(dir, "leaf.pem"), seen.pem);
  assert.match(await openssl(["verify", "-CAfile", join(dir, "mitmproxy-ca-cert.pem"), join(dir, "leaf.pem")]), /OK/);
});

test("leaves carry an ECDSA P-256 key (cheap handshakes) that only signs, under the RSA CA", async () => {
  const leaves = await LeafCertificates.create(await loadOrCreateCa(tempDir()));
  const seen = await handshake(leaves, "trace.agent.datadoghq.com");
  assert.equal(seen.cert.nistCurve, "P-256");
  assert.equal(seen.cert.modulus, undefined);
  const dir = tempDir();
  writeFileSync(join(dir, "leaf.pem"), seen.pem);
  const text = await openssl(["x509", "-noout", "-text", "-in", join(dir, "leaf.pem")]);
  assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
  assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature\n/);
});

test("a leaf's issuer is the CA's subject byte for byte (Go finds the issuer by its exact encoding)", { skip: !SHARED_PRESENT && "../shared (with the system-tests CA) is absent" }, async () => {
  // The system-tests CA's names are UTF8Strings: re-encoding them from text would not keep that.
  const leaves = await LeafCertificates.create(await loadOrCreateCa(confdirWithSharedCa()));
  const seen = await handshake(leaves, "trace.agent.datadoghq.com");
  const der = (pem: string) => new x509.X509Certificate(pem);
  assert.deepEqual(Buffer.from(der(seen.pem).issuerName.toArrayBuffer()), Buffer.from(der(leaves.ca.certificatePem).subjectName.toArrayBuffer()));
});

test("one certificate per host name (case-insensitive), one key for all of them", async () => {
  const leaves = await LeafCertificates.create(await loadOrCreateCa(tempDir()));
  const a = leaves.contextFor("api.datadoghq.com");
  assert.equal(leaves.contextFor("API.datadoghq.com"), a);
  const [x, y] = await Promise.all([handshake(leaves, "api.datadoghq.com"), handshake(leaves, "http-intake.logs.datadoghq.com")]);
  assert.notEqual(x.cert.serialNumber, y.cert.serialNumber);
  assert.ok(x.cert.pubkey && y.cert.pubkey);
  assert.deepEqual(x.cert.pubkey, y.cert.pubkey);
  assert.equal(leaves.size, 2);
});

test("an IP address gets an IP subjectAltName", async () => {
  const leaves = await LeafCertificates.create(await loadOrCreateCa(tempDir()));
  const context = await leaves.contextFor("10.1.2.3");
  // As in a tunnel: the context is chosen before the hello, since a client sends no SNI for an IP.
  const server = createNetServer((raw) => {
    const s = new TLSSocket(raw, { isServer: true, secureContext: context });
    s.on("secure", () => s.end());
    s.on("error", () => raw.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const cert = await new Promise<PeerCertificate>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, ca: leaves.ca.certificatePem, checkServerIdentity: () => undefined }, () => {
        resolve(socket.getPeerCertificate());
        socket.destroy();
      });
      socket.on("error", reject);
    });
    assert.equal(cert.subjectaltname, "IP Address:10.1.2.3");
  } finally {
    server.close();
  }
});

test("the cache keeps the most recently used host names, up to its bound", async () => {
  const leaves = await LeafCertificates.create(await loadOrCreateCa(tempDir()), 3);
  const a = await leaves.contextFor("a.example");
  await leaves.contextFor("b.example");
  await leaves.contextFor("c.example");
  assert.equal(await leaves.contextFor("a.example"), a, "a cached context is reused (and becomes the most recent)");
  await leaves.contextFor("d.example"); // b is now the least recently used: it goes
  assert.equal(leaves.size, 3);
  assert.equal(await leaves.contextFor("a.example"), a, "a stayed");
  assert.equal(leaves.size, 3);
});
