#!/usr/bin/env node
/** st-proxy command line: one module per command under commands/, looked up by name. */
import { UsageError } from "./commands/usage.js";

interface Command {
  summary: string;
  load: () => Promise<{ run: (argv: string[]) => Promise<number> }>;
}

const COMMANDS: Record<string, Command> = {
  serve: { summary: "run the listeners (the main job)", load: () => import("./commands/serve.js") },
  decode: { summary: "print the dump for one flow record (offline, no network)", load: () => import("./commands/decode.js") },
  replay: { summary: "offline replay of recordings: decode, send, serve", load: () => import("./commands/replay.js") },
  validate: { summary: "check every dump under a log folder against ./schemas", load: () => import("./commands/validate.js") },
  view: { summary: "a page listing a log folder's exchanges (traces as waterfalls)", load: () => import("./commands/view.js") },
  har: { summary: "write a recording's exchanges as HAR 1.2", load: () => import("./commands/har.js") },
  "lambda-proxy": { summary: "HTTP → Lambda event → RIE invoke → HTTP response", load: () => import("./commands/lambda-proxy.js") },
  healthcheck: { summary: "exit 0 when a port or an http:// URL answers (container healthchecks)", load: () => import("./commands/healthcheck.js") },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "usage: st-proxy COMMAND [options]",
    "",
    "A recording man-in-the-middle proxy for Datadog system-tests.",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "`st-proxy COMMAND --help` describes each command's options.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    const { createRequire } = await import("node:module");
    console.log(createRequire(import.meta.url)("../package.json").version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`st-proxy: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`st-proxy ${name}: ${error.message}\n(see st-proxy ${name} --help)`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`st-proxy: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
