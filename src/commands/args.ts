import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * A command's arguments: parsed strictly (a mistake is a UsageError, which the CLI reports with
 * a pointer to --help), `-h`/`--help` added to every command and answered here with its text.
 * Returns undefined when the help was printed.
 */
export function commandArgs<O extends Options>(argv: string[], options: O, help: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: "boolean", short: "h" } } as O & { help: { type: "boolean"; short: "h" } } });
  } catch (error) {
    // Node appends advice about "--" to an unknown option when positionals are allowed: the
    // option's name is the whole message, as serve's parser says it.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument[^]*$/, ""));
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    return undefined;
  }
  return parsed;
}
