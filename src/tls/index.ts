import { loadOrCreateCa } from "./ca-store.js";
import { LeafCertificates } from "./leaf-certificates.js";

export { LeafCertificates } from "./leaf-certificates.js";
export { loadOrCreateCa, CA_CERT, CA_KEY_AND_CERT, type CertificateAuthority } from "./ca-store.js";

/** The CA of `confdir` (found or created) and the leaf certificates it signs, ready to serve. */
export async function interceptionCertificates(confdir: string, log: (line: string) => void): Promise<LeafCertificates> {
  const ca = await loadOrCreateCa(confdir);
  log(ca.created ? `created a CA in ${ca.path} (clients must trust it)` : `signing intercepted TLS with the CA in ${ca.path}`);
  return LeafCertificates.create(ca);
}
