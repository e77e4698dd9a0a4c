import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toFlowRecord } from "../record/flow.js";
import { listFlows } from "../replay/flows-folder.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";

const HELP = `usage: st-proxy replay export FLOWS --out DIR [--interface NAME]

Writes every flow record of a recording in the corpus form: DIR/<interface>/NNNNN_<path>.flow.json,
one JSON file per exchange with both bodies in base64, as in ../shared/corpus/cases. FLOWS: a
log folder (its flow logs are in interfaces/.st-proxy/flows), that folder, or one .flows file.
These files are what \`st-proxy decode\` and every replay subcommand read as well.

options:
  --out DIR          where the files go (made if missing; must hold no files yet)
  --interface NAME   only this interface's records
  -h, --help         this text`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { out: { type: "string" }, interface: { type: "string" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one FLOWS folder or file");
  if (values.out === undefined) throw new UsageError("--out DIR is required");
  const [flows] = positionals;
  if (!existsSync(flows)) {
    console.error(`st-proxy replay export: ${flows} does not exist`);
    return 1;
  }
  if (existsSync(values.out) && readdirSync(values.out).length > 0) {
    console.error(`st-proxy replay export: ${values.out} already holds files; choose a fresh --out folder`);
    return 1;
  }
  const { entries, warnings } = listFlows(flows);
  for (const warning of warnings) console.error(`st-proxy replay export: ${warning}`);
  let written = 0;
  let bad = 0;
  for (const entry of entries) {
    if (values.interface !== undefined && entry.interface !== values.interface) continue;
    try {
      const exchange = entry.read();
      const dir = join(values.out, entry.interface);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, entry.dumpName.replace(/\.json$/, ".flow.json")), JSON.stringify(toFlowRecord(exchange), null, 2) + "\n");
      written++;
    } catch (error) {
      bad++;
      console.error(`st-proxy replay export: skipped ${entry.source}: ${(error as Error).message}`);
    }
  }
  console.log(`st-proxy replay export: ${written} flow records written to ${values.out}${bad ? `; ${bad} skipped` : ""}`);
  return bad > 0 ? 1 : 0;
}
