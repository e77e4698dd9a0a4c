import { createHash, generateKeyPairSync, sign } from "node:crypto";

/**
 * Builds a remote-configuration answer for /v0.7/config as the agent gives it to a tracer:
 * TUF targets metadata signed with ed25519 over canonical JSON (sorted keys, no whitespace),
 * base64 target files, and the paths the client should apply. Learnt from system-tests'
 * utils/proxy/tuf.py and rc_response_builder.py, and from dd-trace's remote config client.
 */
export interface RcConfig {
  product: string;
  id: string;
  version: number;
  content: unknown;
}

export interface RcPayload {
  targets: string;
  target_files: { path: string; raw: string }[];
  client_configs: string[];
}

export const rcPath = (c: Pick<RcConfig, "product" | "id">) => `datadog/2/${c.product}/${c.id}/config`;

// One throw-away signing key per test run; tracers are told nothing about it (the real agent
// checks signatures, tracers do not), but the document is signed as TUF requires.
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const rawPublicKey = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
export const KEY_ID = createHash("sha256").update(rawPublicKey).digest("hex");

export function buildRcPayload(configs: RcConfig[], options: { targetsVersion: number; opaqueBackendState: string }): RcPayload {
  const files = configs.map((c) => ({ path: rcPath(c), bytes: Buffer.from(JSON.stringify(c.content)), version: c.version }));
  const signed = {
    _type: "targets",
    custom: { opaque_backend_state: options.opaqueBackendState },
    expires: "3000-01-01T00:00:00Z",
    spec_version: "1.0",
    targets: Object.fromEntries(
      files.map((f) => [f.path, { custom: { v: f.version }, hashes: { sha256: createHash("sha256").update(f.bytes).digest("hex") }, length: f.bytes.length }]),
    ),
    version: options.targetsVersion,
  };
  const signature = sign(null, Buffer.from(canonicalJson(signed)), privateKey).toString("hex");
  const targets = { signatures: [{ keyid: KEY_ID, sig: signature }], signed };
  return {
    targets: Buffer.from(canonicalJson(targets)).toString("base64"),
    target_files: files.map((f) => ({ path: f.path, raw: f.bytes.toString("base64") })),
    client_configs: files.map((f) => f.path),
  };
}

/** Canonical JSON as TUF signs it: keys sorted, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
