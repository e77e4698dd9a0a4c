import { createWriteStream, existsSync, openSync, statSync } from "node:fs";
import { once } from "node:events";
import { hasFlows, listFlows, readableFlows } from "../view/flow-source.js";
import { harText } from "../view/har.js";
import { VERSION } from "../view/live.js";
import { commandArgs } from "./args.js";
import { UsageError } from "./usage.js";

const HELP = `usage: st-proxy har LOG_FOLDER [--interface NAME] [-o FILE]

Writes the exchanges of a recording as HAR 1.2 (opens in a browser's developer tools), from its
flow records (\`st-proxy serve\` keeps one per exchange unless --no-flows): bodies as they
crossed the wire (still compressed when a Content-Encoding was sent), text as text, binary
bodies base64 with "encoding": "base64". Each entry names its interface and dump
(_interface, _dump). Timings are not recorded (0).

options:
  --interface NAME   only this interface's exchanges (default: every interface)
  -o, --output FILE  write the HAR there (default: standard output)
  -h, --help         this text

Exit code 1 when the folder has no flow records (or none of that interface).`;

export async function run(argv: string[]): Promise<number> {
  const args = commandArgs(argv, { interface: { type: "string" }, output: { type: "string", short: "o" } }, HELP);
  if (!args) return 0;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError("expects exactly one LOG_FOLDER");
  const [folder] = positionals;
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    console.error(`st-proxy har: ${folder} is not a folder`);
    return 1;
  }
  if (!hasFlows(folder)) {
    console.error(`st-proxy har: no flow records in ${folder} (recorded with --no-flows, or not an st-proxy log folder)`);
    return 1;
  }
  const { flows, warnings } = listFlows(folder, values.interface);
  for (const w of warnings) console.error(`st-proxy har: ${w}`);
  if (flows.length === 0) {
    console.error(`st-proxy har: no flow records${values.interface ? ` of interface ${values.interface}` : ""} in ${folder}`);
    return 1;
  }
  let out: NodeJS.WritableStream = process.stdout;
  if (values.output !== undefined) {
    try {
      // Opened first, so that a path that cannot be written is a clear message, not a stack.
      out = createWriteStream("", { fd: openSync(values.output, "w") });
    } catch (error) {
      console.error(`st-proxy har: cannot write ${values.output}: ${(error as Error).message}`);
      return 1;
    }
  }
  let skipped = 0;
  const chunks = harText(
    readableFlows(flows, (ref, error) => {
      skipped++;
      console.error(`st-proxy har: skipped ${ref.where}: ${error.message}`);
    }),
    VERSION,
  );
  for (const chunk of chunks) if (!out.write(chunk)) await once(out, "drain");
  if (out !== process.stdout) {
    out.end();
    await once(out, "finish");
    console.error(`st-proxy har: ${flows.length - skipped} exchanges written to ${values.output}`);
  }
  return 0;
}
