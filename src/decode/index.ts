import { parseJson } from "../json/parse.js";
import { headerValue } from "../record/headers.js";
import type { DecodeContext, DecodedMessage, MessageToDecode } from "./types.js";

export type { DecodeContext, DecodedMessage, MessageToDecode, ExportedFile } from "./types.js";

/**
 * Decodes one side of an exchange into what the dump shows. Pure: bytes and metadata in,
 * JSON value out. Never throws: a body that cannot be decoded comes back with raw_content
 * and traceback.
 */
export function decodeMessage(msg: MessageToDecode, _ctx: DecodeContext): DecodedMessage {
  const body = msg.body;
  try {
    if (body.length === 0) return { length: 0, content: null, files: [] };
    const type = headerValue(msg.headers, "content-type")?.toLowerCase() ?? "";
    if (type.includes("application/json")) return { length: body.length, content: parseJson(body.toString("utf8")), files: [] };
    return { length: body.length, content: body.toString("utf8"), files: [] };
  } catch (error) {
    return {
      length: body.length,
      raw_content: body.toString("latin1"),
      traceback: error instanceof Error ? (error.stack ?? error.message) : String(error),
      files: [],
    };
  }
}
