import { existsSync, mkdirSync, readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { dumpAt, interfacesRoot, listInterfaces, type DumpEntry } from "./log-folder.js";

/**
 * Where news of dumps comes from: each dump once, as it is put in place. Kept this small so that
 * the recorder itself can feed the page later instead of the file system.
 */
export interface DumpFeed {
  /** Calls cb for each new dump; returns the way to stop. */
  subscribe(cb: (entry: DumpEntry) => void): () => void;
  close(): void;
}

/**
 * A DumpFeed from the file system: watches `<log folder>/interfaces/` for interface folders and
 * each interface folder for dumps (they appear by an atomic rename, so a name seen is a whole
 * file). The hidden `.st-proxy` folder and `files/` are not interfaces and are not watched.
 * Nothing is watched while nobody subscribes (no page open: no cost to the proxy); what is in
 * place when watching starts is not news. Watchers do not keep the process alive.
 */
export class FolderDumpFeed implements DumpFeed {
  private readonly subscribers = new Set<(entry: DumpEntry) => void>();
  private readonly watchers = new Map<string, FSWatcher>();
  private root?: FSWatcher;
  private closed = false;

  constructor(private readonly logFolder: string) {}

  /** Watching starts, synchronously, with the first subscriber: what lands after is told. */
  subscribe(cb: (entry: DumpEntry) => void): () => void {
    this.subscribers.add(cb);
    if (this.subscribers.size === 1) this.start();
    return () => {
      if (this.subscribers.delete(cb) && this.subscribers.size === 0) this.stop();
    };
  }

  close(): void {
    this.closed = true;
    this.stop();
    this.subscribers.clear();
  }

  private start(): void {
    if (this.closed) return;
    const root = interfacesRoot(this.logFolder);
    // The recorder makes this folder at its first dump; made here so it can be watched before.
    mkdirSync(root, { recursive: true });
    this.root = watch(root, { persistent: false }, (_event, name) => {
      if (typeof name === "string" && !name.startsWith(".")) this.watchInterface(name, true);
    });
    this.root.on("error", () => this.root?.close());
    for (const iface of listInterfaces(this.logFolder)) this.watchInterface(iface, false);
  }

  private stop(): void {
    this.root?.close();
    this.root = undefined;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Watches an interface's folder; `isNew`: a folder that appeared while watching, whose dumps are all news. */
  private watchInterface(iface: string, isNew: boolean): void {
    if (this.closed || !this.root || this.watchers.has(iface)) return;
    const dir = join(interfacesRoot(this.logFolder), iface);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
    const seen = new Set<string>();
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (typeof name === "string") this.consider(iface, dir, name, seen);
      });
    } catch {
      return;
    }
    watcher.on("error", () => {
      watcher.close();
      this.watchers.delete(iface);
    });
    this.watchers.set(iface, watcher);
    // A new folder's first dumps may have landed before its watcher: they are news too. In a
    // folder there from the start, what is there is listed by the page itself.
    for (const name of readdirSync(dir)) {
      if (isNew) this.consider(iface, dir, name, seen);
      else seen.add(name);
    }
  }

  private consider(iface: string, dir: string, name: string, seen: Set<string>): void {
    if (seen.has(name)) return;
    const entry = dumpAt(dir, iface, name);
    if (!entry) return; // not a dump, a removal, or a name already gone
    seen.add(name);
    for (const cb of this.subscribers) cb(entry);
  }
}
