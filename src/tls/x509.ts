// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs this polyfill loaded first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { X509Certificate, createPrivateKey, randomBytes, webcrypto, type KeyObject } from "node:crypto";
import { isIP } from "node:net";

/**
 * Certificate making for TLS interception: a CA (when the confdir has none) and leaf
 * certificates for the host names clients connect to. Signing runs in WebCrypto (native,
 * off the event loop); only the small ASN.1 assembly runs in JavaScript.
 */
const crypto = webcrypto as unknown as Crypto;
const RSA_SIGN = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const DAY = 86_400_000;

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** A new RSA 2048 key pair (the size mitmproxy uses), extractable so it can be written out. */
export async function newRsaKeyPair(): Promise<KeyPair> {
  return (await crypto.subtle.generateKey({ ...RSA_SIGN, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ["sign", "verify"])) as KeyPair;
}

/**
 * A new ECDSA P-256 key pair, for leaves: the server's signature in every TLS handshake is an
 * order of magnitude cheaper than with RSA-2048 (openssl speed: ~52,000 vs ~3,900 signs/s
 * here), and every TLS client st-proxy meets (Go, Node, curl) accepts it under an RSA CA.
 */
export async function newEcKeyPair(): Promise<KeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as KeyPair;
}

/** A private key as WebCrypto needs it for signing, from a node KeyObject (PKCS#1 or PKCS#8 on disk). */
export async function signingKey(key: KeyObject): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", key.export({ type: "pkcs8", format: "der" }), RSA_SIGN, false, ["sign"]);
}

/** The private key in the PEM form mitmproxy writes: "RSA PRIVATE KEY" for RSA, PKCS#8 for others. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", key));
  const type = key.algorithm.name === "ECDSA" ? "pkcs8" : "pkcs1";
  return createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ type, format: "pem" }).toString();
}

/** A positive serial number, 16 random bytes (RFC 5280 allows up to 20 octets). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString("hex");
}

/** A self-signed CA certificate, usable only to sign certificates. */
export async function createCaCertificate(keys: KeyPair, commonName: string, now = new Date()): Promise<string> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: [{ CN: [commonName] }, { O: [commonName] }],
      notBefore: new Date(now.getTime() - 2 * DAY),
      notAfter: new Date(now.getTime() + 10 * 365 * DAY),
      signingAlgorithm: RSA_SIGN,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return cert.toString("pem");
}

export interface Issuer {
  /** The CA certificate, PEM. */
  certificatePem: string;
  key: CryptoKey;
}

/** What a leaf needs to know of its issuer, read once from the CA certificate. */
export interface PreparedIssuer {
  /**
   * The CA's subject as encoded in its certificate. Re-encoding it from text would change its
   * string types (UTF8String to PrintableString): OpenSSL compares names canonically and would
   * not mind, but Go finds a leaf's issuer by the exact bytes, and the agent is a Go client.
   */
  name: x509.Name;
  key: CryptoKey;
  /** The CA's subject key identifier, if it has one: the leaf's authority key identifier. */
  keyId?: string;
}

export function prepareIssuer(issuer: Issuer): PreparedIssuer {
  const ca = new x509.X509Certificate(new X509Certificate(issuer.certificatePem).raw);
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  return { name: ca.subjectName, key: issuer.key, ...(ski ? { keyId: ski.keyId } : {}) };
}

/**
 * A leaf certificate for one host name or IP address, for the given public key, signed by the
 * issuer. Valid from two days ago (clocks in containers drift) for one year, as mitmproxy's.
 */
export async function createLeafCertificate(host: string, publicKey: CryptoKey, issuer: PreparedIssuer, now = new Date()): Promise<string> {
  const ip = isIP(host) !== 0;
  // A common name longer than 64 characters is invalid; the SAN alone names the host then.
  const subject = host.length <= 64 ? `CN=${host.replace(/([,+"\\<>;=])/g, "\\$1")}` : "";
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // An EC key only signs (ECDHE); an RSA key may also encipher (RSA key exchange).
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (publicKey.algorithm.name === "ECDSA" ? 0 : x509.KeyUsageFlags.keyEncipherment), true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([{ type: ip ? "ip" : "dns", value: host }]),
  ];
  if (issuer.keyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuer.keyId));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject,
      issuer: issuer.name,
      notBefore: new Date(now.getTime() - 2 * DAY),
      notAfter: new Date(now.getTime() + 365 * DAY),
      signingAlgorithm: RSA_SIGN,
      publicKey,
      signingKey: issuer.key,
      extensions,
    },
    crypto,
  );
  return cert.toString("pem");
}
