import { parseJson } from "../json/parse.js";
import { MockDefinitionError, parseBackendMocks, parseTracerMocks, type MockFamily } from "./definitions.js";
import type { MockStore } from "./store.js";

export interface MockApiResult {
  statusCode: number;
  /** One line: "Ok", or the reason the definitions were refused. */
  text: string;
}

/**
 * `PUT /mocked_<family>_responses`: the body replaces that family's runtime list. A body that
 * does not parse, or any bad definition in it, is refused whole and the previous list stays.
 */
export function putMocks(store: MockStore, family: MockFamily, body: Buffer): MockApiResult {
  try {
    let json;
    try {
      json = parseJson(body.toString("utf8"));
    } catch (error) {
      throw new MockDefinitionError(`body is not valid JSON: ${(error as Error).message}`);
    }
    if (family === "tracer") store.replaceTracerMocks(parseTracerMocks(json));
    else store.replaceBackendMocks(parseBackendMocks(json));
    return { statusCode: 200, text: "Ok" };
  } catch (error) {
    if (!(error instanceof MockDefinitionError)) throw error;
    const reason = error.message.replace(/\s*\n\s*/g, " ");
    return { statusCode: 400, text: `Invalid mocked ${family} response definition: ${reason}` };
  }
}
