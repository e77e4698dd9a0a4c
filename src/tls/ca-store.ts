import { X509Certificate, createPrivateKey, randomBytes, type KeyObject } from "node:crypto";
import { chmod, link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createCaCertificate, newRsaKeyPair, privateKeyPem, signingKey } from "./x509.js";

/** mitmproxy's file names: the key and certificate in one PEM, and the certificate alone. */
export const CA_KEY_AND_CERT = "mitmproxy-ca.pem";
export const CA_CERT = "mitmproxy-ca-cert.pem";

export interface CertificateAuthority {
  /** The CA certificate, PEM (what clients trust). */
  certificatePem: string;
  /** The private key, for signing leaves in WebCrypto. */
  key: CryptoKey;
  /** True when st-proxy made this CA now (the folder had none). */
  created: boolean;
  /** The file the CA was read from or written to. */
  path: string;
}

/** The PEM blocks of a text, by label ("CERTIFICATE", "RSA PRIVATE KEY", ...). */
export function pemBlocks(text: string): { label: string; pem: string }[] {
  const blocks: { label: string; pem: string }[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)) blocks.push({ label: m[1], pem: m[0] + "\n" });
  return blocks;
}

/** Reads the CA from a mitmproxy-layout file; throws with a clear message if it is not one. */
export function parseCaFile(text: string, path: string): { certificatePem: string; keyObject: KeyObject } {
  const blocks = pemBlocks(text);
  const keyBlock = blocks.find((b) => b.label.endsWith("PRIVATE KEY"));
  const certBlock = blocks.find((b) => b.label === "CERTIFICATE");
  if (!keyBlock || !certBlock) throw new Error(`${path}: expected a private key and a certificate in one PEM file (mitmproxy layout)`);
  const keyObject = createPrivateKey(keyBlock.pem);
  const cert = new X509Certificate(certBlock.pem);
  if (!cert.checkPrivateKey(keyObject)) throw new Error(`${path}: the private key does not belong to the certificate`);
  if (!cert.ca) throw new Error(`${path}: the certificate is not a CA certificate (basicConstraints CA:FALSE)`);
  return { certificatePem: certBlock.pem, keyObject };
}

/**
 * The CA in `confdir`: the one found there (so clients that trust the system-tests CA trust
 * st-proxy as they are), or a new one written there in mitmproxy's layout, key readable by its
 * owner only. Never overwrites a file.
 */
export async function loadOrCreateCa(confdir: string, commonName = "st-proxy"): Promise<CertificateAuthority> {
  const path = join(confdir, CA_KEY_AND_CERT);
  const existing = await readIfPresent(path);
  if (existing !== undefined) return fromText(existing, path, false);

  await mkdir(confdir, { recursive: true, mode: 0o700 });
  const keys = await newRsaKeyPair();
  const certificatePem = await createCaCertificate(keys, commonName);
  const keyPem = await privateKeyPem(keys.privateKey);
  // Written beside, then linked into place: a reader never sees half a file, and of two
  // st-proxy starting at once in the same folder, the second uses the first one's CA.
  if (!(await publish(path, keyPem + certificatePem, 0o600))) return fromText((await readFile(path, "utf8")), path, false);
  await publish(join(confdir, CA_CERT), certificatePem, 0o644);
  return { certificatePem, key: keys.privateKey, created: true, path };
}

async function fromText(text: string, path: string, created: boolean): Promise<CertificateAuthority> {
  const { certificatePem, keyObject } = parseCaFile(text, path);
  return { certificatePem, key: await signingKey(keyObject), created, path };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Puts `text` at `path` unless a file is already there; false if one was. */
async function publish(path: string, text: string, mode: number): Promise<boolean> {
  const staging = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(staging, text, { mode, flag: "wx" });
  // The umask may have taken bits away from `mode`; the mode asked for is the one wanted.
  await chmod(staging, mode);
  try {
    await link(staging, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(staging);
  }
}
