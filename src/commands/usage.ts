/** A mistake in the command line: reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {}
