import { mkdirSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";

/**
 * Writes files so that a reader never sees one half-written: the content goes to a temporary
 * file in a staging folder on the same file system (outside the folders the tests container
 * polls), then is renamed into place, which is atomic.
 */
export class AtomicWriter {
  private seq = 0;
  private readonly made = new Set<string>();

  constructor(private readonly stagingDir: string) {
    this.ensureDir(stagingDir);
  }

  // Unique across processes and recording threads sharing the staging folder.
  private tempName(): string {
    return join(this.stagingDir, `${process.pid}-${threadId}-${this.seq++}.tmp`);
  }

  ensureDir(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  write(path: string, dir: string, data: string | Buffer): void {
    try {
      this.attempt(path, dir, data);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      // A folder was removed under us (a cleaned log folder): make it again, once.
      this.made.clear();
      this.ensureDir(this.stagingDir);
      this.attempt(path, dir, data);
    }
  }

  private attempt(path: string, dir: string, data: string | Buffer): void {
    this.ensureDir(dir);
    const tmp = this.tempName();
    try {
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  }
}
