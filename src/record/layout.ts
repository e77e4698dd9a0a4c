import { join } from "node:path";

/**
 * Where st-proxy writes, under a log folder. system-tests mounts only `<log folder>/interfaces/`
 * into the proxy's container, so everything st-proxy keeps besides the dumps (staging files,
 * flow records) lives in a hidden folder inside it, which no interface is named after: on the
 * same file system as the dumps (renames stay atomic) and visible to the host after the run.
 */
export const PRIVATE_FOLDER = ".st-proxy";

export function interfacesDir(logFolder: string): string {
  return join(logFolder, "interfaces");
}

/** `<log folder>/interfaces/.st-proxy` */
export function privateDir(logFolder: string): string {
  return join(logFolder, "interfaces", PRIVATE_FOLDER);
}

/** Temporary files, renamed into place once complete. */
export function stagingDir(logFolder: string): string {
  return join(privateDir(logFolder), "staging");
}

/** The raw exchanges (flow records), for decode and replay. */
export function flowsDir(logFolder: string): string {
  return join(privateDir(logFolder), "flows");
}
