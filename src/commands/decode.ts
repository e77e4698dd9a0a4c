import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { writePythonJson } from "../json/write.js";
import { buildDump, dumpFilename } from "../record/dump.js";
import { fromFlowRecord } from "../record/flow.js";
import type { Exchange } from "../model/exchange.js";
import { listFlows } from "../replay/flows-folder.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";

const HELP = `usage: st-proxy decode FLOW [--interface NAME --number N]

Prints, on standard output, the dump st-proxy writes for one flow record. Offline: no network,
and no file is written (files a multipart body would export are only named in the dump).

FLOW is one record in the corpus form (a *.flow.json file, as in ../shared/corpus/cases or as
\`st-proxy replay export\` writes), or a recording (a log folder, its interfaces/.st-proxy/flows
folder, or one <interface>.flows file) with --number saying which exchange (the number of its
dump) and --interface which interface's (needed when the recording has several).

The dump's log_filename is the record's own when it has one, otherwise
./logs/interfaces/<interface>/00000_<path>.json.

options:
  --interface NAME   the interface of the exchange, in a recording
  --number N         the exchange's number (its dump's NNNNN), in a recording
  -h, --help         this text`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { interface: { type: "string" }, number: { type: "string" } }, HELP);
  if (!args) return 0;
  const { positionals, values } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one flow record file or recording");
  const file = positionals[0];
  let found: { exchange: Exchange; logFilename?: string };
  try {
    found = statSync(file).isFile() && file.endsWith(".json") ? readCorpusForm(file) : readFromRecording(file, values.interface, values.number);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    console.error(`st-proxy decode: ${file}: ${(error as Error).message}`);
    return 1;
  }
  const { exchange } = found;
  const logFilename = found.logFilename ?? dumpFilename("./logs", exchange.interface, 0, exchange.path);
  const { dump } = buildDump(exchange, logFilename, `${dirname(logFilename)}/files`);
  process.stdout.write(writePythonJson(dump) + "\n");
  return 0;
}

function readCorpusForm(file: string): { exchange: Exchange; logFilename?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read it: ${(error as Error).message}`);
  }
  try {
    return fromFlowRecord(parsed);
  } catch (error) {
    throw new Error(`not a flow record: ${(error as Error).message}`);
  }
}

function readFromRecording(path: string, iface: string | undefined, number: string | undefined): { exchange: Exchange; logFilename?: string } {
  if (number === undefined || !/^\d+$/.test(number)) throw new UsageError("a recording needs --number N (the exchange's dump number)");
  const { entries } = listFlows(path);
  const interfaces = [...new Set(entries.map((e) => e.interface))];
  const name = iface ?? (interfaces.length === 1 ? interfaces[0] : undefined);
  if (name === undefined) throw new UsageError(`the recording has several interfaces (${interfaces.join(", ")}): say which with --interface`);
  const entry = entries.find((e) => e.interface === name && e.counter === Number(number));
  if (!entry) throw new Error(`no exchange number ${number} of interface ${name} in it`);
  return { exchange: entry.read(), logFilename: entry.logFilename ?? `./logs/interfaces/${name}/${entry.dumpName}` };
}
