import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writePythonJson } from "../json/write.js";
import { buildDump, dumpFilename } from "../record/dump.js";
import { fromFlowRecord } from "../record/flow.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";

const HELP = `usage: st-proxy decode FLOW

Prints, on standard output, the dump st-proxy writes for one flow record (a *.flow.json file,
as recorded under <log folder>/interfaces/.st-proxy/flows/ or in ../shared/corpus/cases). Offline: no network, and
no file is written (files a multipart body would export are only named in the dump).

The dump's log_filename is the record's own when it has one, otherwise
./logs/interfaces/<interface>/00000_<path>.json.`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, {}, HELP);
  if (!args) return 0;
  const { positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one flow record file");
  const file = positionals[0];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`st-proxy decode: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  let record;
  try {
    record = fromFlowRecord(parsed);
  } catch (error) {
    console.error(`st-proxy decode: ${file} is not a flow record: ${(error as Error).message}`);
    return 1;
  }
  const { exchange } = record;
  const logFilename = record.logFilename ?? dumpFilename("./logs", exchange.interface, 0, exchange.path);
  const { dump } = buildDump(exchange, logFilename, `${dirname(logFilename)}/files`);
  process.stdout.write(writePythonJson(dump) + "\n");
  return 0;
}
