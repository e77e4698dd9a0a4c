import type { Answer } from "../proxy/types.js";
import type { BackendMockDefinition } from "./definitions.js";

/**
 * The answer a backend mock makes from scratch, headers as the reference's
 * `Response.make(status, content, {"Content-Type": ...})` lists them.
 */
export function backendMockAnswer(def: BackendMockDefinition): Answer {
  return {
    statusCode: def.status_code,
    headers: [
      ["Content-Type", def.content_type],
      ["content-length", String(def.content.length)],
    ],
    body: def.content,
  };
}

/** The first definition whose path equals the request target (path and query) wins. */
export function findBackendMock(lists: readonly (readonly BackendMockDefinition[])[], target: string): BackendMockDefinition | undefined {
  for (const list of lists) for (const def of list) if (def.path === target) return def;
  return undefined;
}
