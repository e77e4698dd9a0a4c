import { existsSync, readdirSync } from "node:fs";
import { Scrubber, secretsFromEnv } from "../record/scrub.js";
import { terminalProgress } from "../replay/progress.js";
import { rebuildDumps } from "../replay/rebuild.js";
import { UsageError } from "./usage.js";
import { commandArgs } from "./args.js";

const HELP = `usage: st-proxy replay decode FLOWS --out LOG_FOLDER

Rebuilds every dump of a recording from its flow records (FLOWS: a log folder, or its
interfaces/.st-proxy/flows folder)
into LOG_FOLDER/interfaces/, as \`st-proxy serve\` wrote them live: same file names, same
content, except that log_filename and exported-file paths name LOG_FOLDER. Secrets are
scrubbed as serve scrubs them.

A progress bar on a terminal, a summary line in any case. A record that cannot be read is
reported by file name and skipped; the exit code is then 1.

options:
  --out LOG_FOLDER   where the dumps go; its interfaces/ folder must not hold files yet
  -h, --help         this text`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { out: { type: "string" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one FLOWS folder");
  if (values.out === undefined) throw new UsageError("--out LOG_FOLDER is required");
  const [flowsDir] = positionals;
  const out = values.out;
  if (!existsSync(flowsDir)) {
    console.error(`st-proxy replay decode: ${flowsDir} does not exist`);
    return 1;
  }
  // Mixing rebuilt dumps with older ones would make a folder no run ever wrote.
  const interfaces = `${out}/interfaces`;
  if (existsSync(interfaces) && readdirSync(interfaces).length > 0) {
    console.error(`st-proxy replay decode: ${interfaces} already holds files; choose a fresh --out folder`);
    return 1;
  }

  const progress = terminalProgress("st-proxy replay decode");
  const began = performance.now();
  const result = await rebuildDumps(flowsDir, out, { scrubber: new Scrubber(secretsFromEnv(process.env)), onProgress: (done, total) => progress.update(done, total) });
  progress.stop();
  const seconds = (performance.now() - began) / 1000;

  if (result.records === 0) {
    console.error(`st-proxy replay decode: no flow record under ${flowsDir} (expected a log folder with interfaces/.st-proxy/flows/<interface>.flows, or <interface>/NNNNN_<path>.flow.json files)`);
    return 1;
  }
  for (const { file, reason } of result.bad) console.error(`st-proxy replay decode: skipped ${file}: ${reason}`);
  for (const warning of result.warnings) console.error(`st-proxy replay decode: ${warning}`);
  const rate = seconds > 0 ? Math.round(result.records / seconds) : result.records;
  console.log(
    `st-proxy replay decode: ${result.records} flow records → ${result.written} dumps in ${interfaces}/ ` +
      `(${seconds.toFixed(1)} s, ${rate} records/s); ${result.bad.length} skipped`,
  );
  return result.bad.length > 0 ? 1 : 0;
}
