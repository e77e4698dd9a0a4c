import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writevSync, rmSync } from "node:fs";
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
    this.publish(this.stage(data), path, dir);
  }

  /** First half of write: the content (or its pieces, in order) in a staging file, whose name is returned. */
  stage(data: string | Buffer | Buffer[]): string {
    const tmp = this.tempName();
    try {
      try {
        writeWhole(tmp, data);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        // The log folder was removed under us (cleaned between runs): make it again, once.
        this.made.clear();
        this.ensureDir(this.stagingDir);
        writeWhole(tmp, data);
      }
    } catch (error) {
      // A write that failed part way (a full disk) leaves no debris behind.
      rmSync(tmp, { force: true });
      throw error;
    }
    return tmp;
  }

  /** Second half: the staged file renamed into place, atomically (removed if that fails). */
  publish(tmp: string, path: string, dir: string): void {
    try {
      try {
        this.ensureDir(dir);
        renameSync(tmp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        this.made.delete(dir);
        this.ensureDir(dir);
        renameSync(tmp, path);
      }
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  }
}

/** writeFileSync, and for pieces one vectored write per call (no joined copy of them). */
function writeWhole(path: string, data: string | Buffer | Buffer[]): void {
  if (!Array.isArray(data)) return writeFileSync(path, data);
  if (data.length === 1) return writeFileSync(path, data[0]);
  const fd = openSync(path, "w");
  try {
    let parts = data;
    while (parts.length > 0) {
      // A regular file takes a whole writev unless the disk fills; a short one goes on from where it stopped.
      let written = writevSync(fd, parts);
      let i = 0;
      while (i < parts.length && written >= parts[i].length) written -= parts[i++].length;
      parts = parts.slice(i);
      if (written > 0) parts[0] = parts[0].subarray(written);
    }
  } finally {
    closeSync(fd);
  }
}
