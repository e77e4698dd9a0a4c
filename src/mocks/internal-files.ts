import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseJson } from "../json/parse.js";
import { MockDefinitionError, parseBackendMocks, parseTracerMocks } from "./definitions.js";
import type { MockLists } from "./store.js";

/** The files the test runner writes before start (system-tests' `internal_filename`s). */
export const INTERNAL_FILES = {
  tracer: "internal_mocked_tracer_responses.json",
  backend: "internal_mocked_backend_responses.json",
} as const;

/**
 * Reads the session-wide mocks from a folder. A missing file is an empty list; a file that
 * cannot be read or parsed is an error naming the file and the problem (start-up stops).
 */
export async function readInternalMocks(folder: string): Promise<MockLists> {
  const tracerJson = await readList(join(folder, INTERNAL_FILES.tracer));
  const backendJson = await readList(join(folder, INTERNAL_FILES.backend));
  return {
    tracer: withFile(join(folder, INTERNAL_FILES.tracer), () => parseTracerMocks(tracerJson)),
    backend: withFile(join(folder, INTERNAL_FILES.backend), () => parseBackendMocks(backendJson)),
  };
}

async function readList(file: string) {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new Error(`cannot read the internal mocks in ${file}: ${(error as Error).message}`);
  }
  return withFile(file, () => {
    try {
      return parseJson(text);
    } catch (error) {
      throw new MockDefinitionError(`not valid JSON: ${(error as Error).message}`);
    }
  });
}

function withFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof MockDefinitionError) throw new Error(`invalid internal mocks in ${file}: ${error.message}`);
    throw error;
  }
}
