import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { CONTENT_SCHEMAS } from "../decode/routes.js";

/** schemas/ beside src/ (and beside dist/ once built: both are one level under the root). */
export const DEFAULT_SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas");

export const DUMP_SCHEMA_ID = "/dump.schema.json";

/**
 * Loads every *.schema.json under the schemas folder (the .proto files there are another
 * matter) into one validator, each known by its $id, which must be its path in the folder.
 */
export function loadSchemas(dir: string = DEFAULT_SCHEMAS_DIR): Ajv2020 {
  // strictNumbers off: NaN and infinities are legitimate span metrics (the dumps carry them).
  // strictTypes off: the shared $defs (e.g. a decoded body) apply to more than one type.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, strictNumbers: false });
  for (const file of schemaFiles(dir)) {
    const schema = JSON.parse(readFileSync(file, "utf8")) as { $id?: string };
    const expected = "/" + relative(dir, file).split(sep).join("/");
    if (schema.$id !== expected) throw new Error(`${file}: $id must be ${JSON.stringify(expected)} (its path under ${dir}), found ${JSON.stringify(schema.$id)}`);
    ajv.addSchema(schema);
  }
  for (const id of [DUMP_SCHEMA_ID, ...CONTENT_SCHEMAS.map((r) => r.schema)])
    if (!ajv.getSchema(id)) throw new Error(`schema ${id} is missing from ${dir}`);
  return ajv;
}

function schemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...schemaFiles(path));
    else if (entry.name.endsWith(".schema.json")) out.push(path);
  }
  return out;
}
