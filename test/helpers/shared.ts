import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * ../shared beside the clone: the corpus, the system-tests CA, the checker. Absent in a lone clone.
 * ST_PROXY_SHARED names it when the tests run from a copy elsewhere (Stryker's sandboxes).
 */
export const SHARED = process.env.ST_PROXY_SHARED || join(ROOT, "..", "shared");
export const CORPUS_CASES = join(SHARED, "corpus", "cases");
export const SHARED_PRESENT = existsSync(CORPUS_CASES);

/** The built command line (npm test builds it first). */
export const CLI = join(ROOT, "dist", "cli.js");
