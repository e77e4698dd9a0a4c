/**
 * Write failures, reported so that a full disk is one clear line and not a stack trace per
 * exchange: the first failure of each kind (its error code) is printed, later ones of that
 * kind are counted and summed up at most once per interval. Every failure counts for the
 * exit code.
 */
export class FailureLog {
  private total = 0;
  private readonly kinds = new Map<string, { suppressed: number; lastPrinted: number; example: string }>();

  constructor(
    private readonly print: (line: string) => void = (line) => console.error(line),
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get count(): number {
    return this.total;
  }

  /** One failure to write `what` (a path). */
  report(what: string, error: unknown): void {
    this.total++;
    const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? "Error";
    const message = ((error as Error)?.message ?? String(error)).split("\n")[0];
    const kind = this.kinds.get(code);
    const t = this.now();
    if (!kind) {
      this.kinds.set(code, { suppressed: 0, lastPrinted: t, example: what });
      this.print(`st-proxy: could not write ${what}: ${message}${code === "ENOSPC" ? " (disk full: forwarding goes on; writing resumes when there is room)" : ""}`);
      return;
    }
    kind.suppressed++;
    kind.example = what;
    if (t - kind.lastPrinted >= this.intervalMs) this.flush(code);
  }

  /** Prints the counts still untold (at shutdown). */
  flushAll(): void {
    for (const code of this.kinds.keys()) this.flush(code);
  }

  private flush(code: string): void {
    const kind = this.kinds.get(code)!;
    if (kind.suppressed === 0) return;
    this.print(`st-proxy: ${kind.suppressed} more write failure(s) of the same kind (${code}), the last for ${kind.example}`);
    kind.suppressed = 0;
    kind.lastPrinted = this.now();
  }
}
