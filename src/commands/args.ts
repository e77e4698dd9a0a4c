import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * A command's arguments: parsed strictly (a mistake is a UsageError, which the CLI reports with
 * a pointer to --help), `-h`/`--help` added to every command and answered here with its text.
 * Returns undefined when the help was printed.
 */
export function commandArgs<O extends Options>(argv: string[], options: O, help: string) {
  const parsed = parseFlags(argv, options);
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    return undefined;
  }
  return parsed;
}

/**
 * The one flag parser of every command: strict, `-h`/`--help` always known, a mistake a
 * one-line UsageError (the CLI prints it with the usage hint and exits 2).
 */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, allowPositionals, strict: true, options: { ...options, help: { type: "boolean", short: "h" } } as O & { help: { type: "boolean"; short: "h" } } });
  } catch (error) {
    // Node appends advice about "--" to an unknown option when positionals are allowed: the
    // option's name is the whole message.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument[^]*$/, ""));
  }
}
