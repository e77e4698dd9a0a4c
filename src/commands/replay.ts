import { UsageError } from "./usage.js";

const SUBCOMMANDS: Record<string, { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> }> = {
  decode: { summary: "rebuild every dump of a recording from its flow records", load: () => import("./replay-decode.js") },
  send: { summary: "re-send the recorded requests to a target and compare the answers", load: () => import("./replay-send.js") },
  serve: { summary: "answer requests with the recorded responses (an offline agent)", load: () => import("./replay-serve.js") },
  export: { summary: "write the flow records in the corpus form (one .flow.json per exchange)", load: () => import("./replay-export.js") },
};

const HELP = `usage: st-proxy replay SUBCOMMAND FLOWS [options]

Offline replay of a recording. FLOWS is a log folder as \`st-proxy serve\` writes it (the raw
exchanges are in interfaces/.st-proxy/flows/<interface>.flows), that flows folder, or a folder
of corpus-form records (<interface>/NNNNN_<path>.flow.json, as \`replay export\` writes them).

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
