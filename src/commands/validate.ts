import { existsSync, statSync } from "node:fs";
import { listDumpFiles } from "../validate/dump-files.js";
import { readDumpFile } from "../validate/read-dump.js";
import { DEFAULT_SCHEMAS_DIR, loadSchemas } from "../validate/schemas.js";
import { validateDump, type Finding } from "../validate/validate-dump.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";

const HELP = `usage: st-proxy validate LOG_FOLDER [--schemas DIR]

Checks every dump under LOG_FOLDER/interfaces/ against the JSON Schemas: the dump envelope
(schemas/dump.schema.json) and, for known paths, the decoded content (schemas/content/).
Prints one line per failure: file, JSON path, message. Dumps with a traceback (a body that
could not be decoded) are flagged too. Exit code 0 only when every dump passes and none has
a traceback.

options:
  --schemas DIR   the schemas folder (default: the one installed with st-proxy)
  -h, --help      this text`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { schemas: { type: "string" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one LOG_FOLDER");
  const [folder] = positionals;
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`st-proxy validate: ${folder} is not a folder`);
    return 1;
  }
  let ajv;
  try {
    ajv = loadSchemas(values.schemas ?? DEFAULT_SCHEMAS_DIR);
  } catch (error) {
    console.error(`st-proxy validate: cannot load the schemas: ${(error as Error).message}`);
    return 1;
  }

  const files = listDumpFiles(folder);
  if (files.length === 0) {
    console.error(`st-proxy validate: no dump under ${folder} (expected <log folder>/interfaces/<interface>/*.json)`);
    return 1;
  }
  let failedDumps = 0;
  let failures = 0;
  let withTraceback = 0;
  for (const file of files) {
    let findings: Finding[];
    try {
      findings = validateDump(ajv, readDumpFile(file));
    } catch (error) {
      findings = [{ kind: "schema", path: "$", message: `not readable as JSON: ${(error as Error).message}` }];
    }
    const schemaFindings = findings.filter((f) => f.kind === "schema");
    if (schemaFindings.length > 0) failedDumps++;
    failures += schemaFindings.length;
    if (findings.some((f) => f.kind === "traceback")) withTraceback++;
    for (const f of findings) console.log(`${f.kind === "schema" ? "FAIL" : "TRACEBACK"} ${file} ${f.path}: ${f.message}`);
  }
  console.log(
    `st-proxy validate: ${files.length} dumps, ${files.length - failedDumps} match the schemas, ${failedDumps} do not (${failures} failures); ` +
      `${withTraceback} with a traceback`,
  );
  return failedDumps === 0 && withTraceback === 0 ? 0 : 1;
}
