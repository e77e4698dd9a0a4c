import { UsageError } from "./usage.js";

const SUBCOMMANDS: Record<string, { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }> = {
  decode: { summary: "rebuild every dump of a recording from its flow records", load: () => import("./replay-decode.js") },
  send: { summary: "re-send the recorded requests to a target and compare the answers", load: () => import("./replay-send.js") },
  serve: { summary: "answer requests with the recorded responses (an offline agent)", load: () => import("./replay-serve.js") },
};

const HELP = `usage: st-proxy replay SUBCOMMAND FLOWS [options]

Offline replay of a recording. FLOWS is a log folder (or its interfaces/.st-proxy/flows folder), as \`st-proxy serve\`
writes it (one sub-folder of *.flow.json records per interface).

subcommands:
${Object.entries(SUBCOMMANDS)
  .map(([name, s]) => `  ${name.padEnd(7)} ${s.summary}`)
  .join("\n")}

\`st-proxy replay SUBCOMMAND --help\` describes each one's options.`;

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) throw new UsageError(`unknown subcommand ${JSON.stringify(name)} (known: ${Object.keys(SUBCOMMANDS).join(", ")})`);
  return (await sub.load()).run(rest);
}
