// `npm run bench`: every benchmark of the project, each against its plain baseline in the same
// run, printed as Markdown tables (ratios are what to compare across machines).
// BENCH_ONLY=app,connect,lambda,replay,view picks some; BENCH_SECONDS sets each measurement's length.
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { benchApp, formatApp } from "./app.js";

const only = process.env.BENCH_ONLY?.split(",");
const want = (name: string) => !only || only.includes(name);
console.log(`# st-proxy benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores\n`);

if (want("app")) {
  console.log("## Application proxy: msgpack traces (PUT /v0.4/traces; one v0.5 row)\n");
  console.log(formatApp(await benchApp()) + "\n");
}

// Benchmarks of the other parts, each in its own module exporting bench<Name>().
for (const [name, file, fn] of [
  ["connect", "./connect.ts", "benchConnect"],
  ["lambda", "./lambda.ts", "benchLambda"],
  ["replay", "./replay.ts", "benchReplay"],
  ["view", "./view.ts", "benchView"],
] as const) {
  if (!want(name) || !existsSync(new URL(file, import.meta.url))) continue;
  const mod = await import(file);
  console.log(`## ${name}\n`);
  const result = await mod[fn]();
  console.log((typeof mod.format === "function" ? mod.format(result) : "```\n" + JSON.stringify(result, null, 2) + "\n```") + "\n");
}
