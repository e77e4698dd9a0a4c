/**
 * The JSON values st-proxy produces. `bigint` carries integers that a JavaScript number
 * cannot hold exactly (unsigned 64-bit trace ids); the writer prints them as plain digits.
 */
export type Json = null | boolean | number | bigint | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
