import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Every dump under a log folder: <log folder>/interfaces/<interface>/*.json, leaving out the
 * files/ folders (exported multipart parts) and flow records. A folder without interfaces/
 * (an interface's own folder, say) is searched the same way.
 */
export function listDumpFiles(logFolder: string): string[] {
  const interfaces = join(logFolder, "interfaces");
  const root = existsSync(interfaces) ? interfaces : logFolder;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "files" && entry.name !== "flows" && !entry.name.startsWith(".")) walk(path);
      } else if (entry.name.endsWith(".json") && !entry.name.endsWith(".flow.json")) out.push(path);
    }
  };
  walk(root);
  return out;
}
