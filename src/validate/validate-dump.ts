import type { Ajv2020, ErrorObject } from "ajv/dist/2020.js";
import { jsonPath } from "./json-path.js";
import { CONTENT_SCHEMAS } from "../decode/routes.js";
import { DUMP_SCHEMA_ID } from "./schemas.js";

export interface Finding {
  /** "schema": the dump breaks a schema; "traceback": a body could not be decoded. */
  kind: "schema" | "traceback";
  /** JSON path into the dump, e.g. $.request.content[0][0].trace_id */
  path: string;
  message: string;
  /** The schema that said so (schema findings only). */
  schema?: string;
}

/**
 * Checks one dump: its envelope against dump.schema.json, then the decoded content of each
 * side whose path has a content schema (a row of src/decode/routes.ts). A side that carries a traceback (a failed
 * decode) is flagged too: the tests container fails a run on those.
 */
export function validateDump(ajv: Ajv2020, dump: unknown): Finding[] {
  const findings: Finding[] = [];
  const envelope = ajv.getSchema(DUMP_SCHEMA_ID)!;
  if (!envelope(dump)) findings.push(...describe(envelope.errors ?? [], dump, "", DUMP_SCHEMA_ID));
  if (typeof dump !== "object" || dump === null || Array.isArray(dump)) return findings;
  const d = dump as Record<string, unknown>;
  for (const side of ["request", "response"] as const) {
    const part = d[side];
    if (typeof part !== "object" || part === null || Array.isArray(part)) continue;
    const p = part as Record<string, unknown>;
    if (typeof p.traceback === "string")
      findings.push({ kind: "traceback", path: `$.${side}.traceback`, message: `the ${side} body could not be decoded: ${lastLine(p.traceback)}` });
    if (!("content" in p) || typeof d.path !== "string") continue;
    const status = typeof p.status_code === "number" ? p.status_code : undefined;
    for (const route of CONTENT_SCHEMAS) {
      if (route.path !== d.path || route.side !== side || (route.status !== undefined && route.status !== status)) continue;
      const check = ajv.getSchema(route.schema)!;
      if (!check(p.content)) findings.push(...describe(check.errors ?? [], dump, `/${side}/content`, route.schema));
    }
  }
  return findings;
}

function describe(errors: ErrorObject[], dump: unknown, prefix: string, schema: string): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // "must match then/else schema" only repeats the errors found inside the branch.
    if (e.keyword === "if") continue;
    let pointer = prefix + e.instancePath;
    let message = e.message ?? e.keyword;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties") {
      pointer += "/" + String(params.additionalProperty ?? params.unevaluatedProperty).replace(/~/g, "~0").replace(/\//g, "~1");
      message = "is not allowed here";
    } else if (e.keyword === "false schema") message = "must not be present here";
    else if (e.keyword === "enum") message += `: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    else if (e.keyword === "const") message += ` ${JSON.stringify(params.allowedValue)}`;
    const finding: Finding = { kind: "schema", path: jsonPath(pointer, dump), message, schema };
    const key = `${finding.path}\n${finding.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(finding);
    }
  }
  return findings;
}

function lastLine(traceback: string): string {
  const lines = traceback.trim().split("\n").filter((l) => l.trim() !== "");
  // Python tracebacks end with the exception; JavaScript stacks start with it.
  const line = /^Traceback \(most recent call last\)/.test(lines[0] ?? "") ? lines[lines.length - 1] : lines[0];
  return (line ?? "").trim().slice(0, 300);
}
