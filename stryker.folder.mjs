// Stryker on one folder with only the test files that load it: `npm run mutate:record`,
// `npm run mutate:lambda-events`. The full list in stryker.config.json costs a dry run of every
// listed test file (the recorder's take minutes) before the first mutant; this keeps the rest of
// that configuration and its own incremental file, so a folder's run does not drop the others'
// results from reports/stryker-incremental.json.
import { readFileSync } from "node:fs";

const FOLDERS = {
  record: {
    mutate: ["src/record/**/*.ts"],
    testFiles: ["test/record/**/*.test.ts"],
  },
  "lambda-events": {
    mutate: ["src/lambda/events/**/*.ts"],
    testFiles: ["test/lambda/events.test.ts"],
  },
};

const name = process.env.ST_PROXY_MUTATE_FOLDER ?? "";
const folder = FOLDERS[name];
if (!folder) throw new Error(`ST_PROXY_MUTATE_FOLDER must be one of ${Object.keys(FOLDERS).join(", ")} (got "${name}")`);
const base = JSON.parse(readFileSync(new URL("./stryker.config.json", import.meta.url), "utf8"));

export default {
  ...base,
  mutate: folder.mutate,
  tap: { ...base.tap, testFiles: folder.testFiles },
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
};
