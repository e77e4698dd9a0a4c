import { createSecureContext, type SecureContext } from "node:tls";
import type { CertificateAuthority } from "./ca-store.js";
import { createLeafCertificate, newEcKeyPair, prepareIssuer, privateKeyPem, type KeyPair, type PreparedIssuer } from "./x509.js";

// Far more names than a test run meets (a few Datadog intake hosts).
const MAX_CACHED_HOSTS = 1000;

/**
 * TLS server identities for intercepted hosts: one leaf certificate per host name, signed by
 * the CA and cached (the most recently used `maxHosts`). All leaves share one key made at start
 * (as mitmproxy does), so a new host costs one signature, never a key generation. That key is
 * ECDSA P-256 (mitmproxy's is RSA-2048): the handshake's signature is the costliest step of a
 * new tunnel, and P-256 makes it an order of magnitude cheaper.
 */
export class LeafCertificates {
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  private constructor(
    readonly ca: CertificateAuthority,
    private readonly issuer: PreparedIssuer,
    private readonly leafKeys: KeyPair,
    private readonly leafKeyPem: string,
    private readonly maxHosts: number,
  ) {}

  static async create(ca: CertificateAuthority, maxHosts = MAX_CACHED_HOSTS): Promise<LeafCertificates> {
    const leafKeys = await newEcKeyPair();
    return new LeafCertificates(ca, prepareIssuer(ca), leafKeys, await privateKeyPem(leafKeys.privateKey), maxHosts);
  }

  /** Host names (or IPs) with a certificate made or being made. */
  get size(): number {
    return this.contexts.size;
  }

  /** The TLS context presenting a certificate for `host` (lower-cased: names are case-insensitive). */
  contextFor(host: string): Promise<SecureContext> {
    const name = host.toLowerCase();
    let context = this.contexts.get(name);
    if (context) {
      // Most recently used last: the cache forgets the host unused the longest.
      this.contexts.delete(name);
      this.contexts.set(name, context);
      return context;
    }
    context = this.make(name);
    // A failure is not cached: the next connection for this host tries again.
    context.catch(() => this.contexts.delete(name));
    this.contexts.set(name, context);
    // Bounded, so that a client inventing host names cannot grow the process without end.
    if (this.contexts.size > this.maxHosts) this.contexts.delete(this.contexts.keys().next().value!);
    return context;
  }

  private async make(host: string): Promise<SecureContext> {
    const cert = await createLeafCertificate(host, this.leafKeys.publicKey, this.issuer);
    // Sending the CA after the leaf lets clients that pinned only the CA build the chain.
    return createSecureContext({ key: this.leafKeyPem, cert: `${cert.trimEnd()}\n${this.ca.certificatePem}` });
  }
}
