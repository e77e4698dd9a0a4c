/**
 * Secret scrubbing, an explicit step of every write (the reference patched `open` instead).
 * A secret is the value of any environment variable whose name matches
 * key|token|secret|pass|docker_login (case-insensitive) and whose trimmed value is longer
 * than 6 characters; it is replaced by "--redacted--" in everything written to disk.
 */
const SECRET_NAME = /key|token|secret|pass|docker_login/i;
const NOT_SECRETS = new Set(["AWS_VAULT_KEYCHAIN_NAME", "ONBOARDING_AWS_INFRA_KEY_PATH", "ONBOARDING_AWS_INFRA_KEYPAIR_NAME"]);
const MINIMUM_SECRET_LENGTH = 6;
export const REDACTED = "--redacted--";

export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    const v = value?.trim();
    if (v && v.length > MINIMUM_SECRET_LENGTH && !NOT_SECRETS.has(name) && SECRET_NAME.test(name)) secrets.add(v);
  }
  return [...secrets];
}

export class Scrubber {
  private readonly secrets: string[];
  private readonly secretBytes: Buffer[];
  private readonly redactedBytes = Buffer.from(REDACTED);

  constructor(secrets: string[]) {
    // Longest first, so that a secret containing another is replaced whole.
    this.secrets = [...secrets].sort((a, b) => b.length - a.length);
    this.secretBytes = this.secrets.map((s) => Buffer.from(s));
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  text(s: string): string {
    for (const secret of this.secrets) if (s.includes(secret)) s = s.split(secret).join(REDACTED);
    return s;
  }

  /**
   * bytes() of the parts' concatenation, as parts (a dump is written as its pieces, without
   * joining them): each part scrubbed alone, unless a secret could cross from one to the next.
   */
  parts(parts: Buffer[]): Buffer[] {
    if (!this.active) return parts;
    if (parts.length > 1 && this.mayCross(parts)) return [this.bytes(Buffer.concat(parts))];
    return parts.map((p) => this.bytes(p));
  }

  /** True when a secret occurs around a boundary of parts, or a part in the middle is shorter than a secret (conservative). */
  private mayCross(parts: Buffer[]): boolean {
    const reach = this.secretBytes[0].length - 1;
    for (let i = 1; i < parts.length; i++) {
      if (i < parts.length - 1 && parts[i].length < reach) return true;
      const left = parts[i - 1];
      const around = Buffer.concat([left.subarray(Math.max(0, left.length - reach)), parts[i].subarray(0, reach)]);
      for (const secret of this.secretBytes) if (around.includes(secret)) return true;
    }
    return false;
  }

  bytes(b: Buffer): Buffer {
    for (const secret of this.secretBytes) {
      let at = b.indexOf(secret);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      while (at >= 0) {
        parts.push(b.subarray(from, at), this.redactedBytes);
        from = at + secret.length;
        at = b.indexOf(secret, from);
      }
      parts.push(b.subarray(from));
      b = Buffer.concat(parts);
    }
    return b;
  }
}
