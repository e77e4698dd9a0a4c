import { createRequire } from "node:module";
import { FolderDumpFeed } from "./dump-feed.js";
import { createViewRoutes, type ViewRoutes } from "./view-routes.js";

/** st-proxy's version (HAR's creator). */
export const VERSION: string = createRequire(import.meta.url)("../../package.json").version;

/** The page at /ui/ of a log folder being recorded: new dumps pushed as they are put in place. */
export function liveView(logFolder: string): ViewRoutes {
  return createViewRoutes({ logFolder, feed: new FolderDumpFeed(logFolder), version: VERSION });
}
