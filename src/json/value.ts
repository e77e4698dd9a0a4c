/**
 * The JSON values st-proxy produces. `bigint` carries integers that a JavaScript number
 * cannot hold exactly (unsigned 64-bit trace ids); the writer prints them as plain digits.
 */
export type Json = null | boolean | number | bigint | string | PyFloat | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof PyFloat);
}

/**
 * A float whose value is a whole number (1.0, -0.0, 1e16). Python keeps it a float and writes
 * it so ("1.0"); a JavaScript number cannot tell it from the int 1, so decoders that know a
 * value is a float (a msgpack float, a protobuf double) box it. Non-integral floats stay numbers.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A decoded float: boxed when JavaScript would take it for an int. */
export function pyFloat(v: number): number | PyFloat {
  return Number.isInteger(v) ? new PyFloat(v) : v;
}

/**
 * A value already rendered as the writer's JSON text (ASCII, indented for where it goes): the
 * writer copies it in as it is. Only the dump writer meets these (see decode/routes.ts render).
 */
export class RawJson {
  constructor(readonly text: Buffer) {}
}

/**
 * Pre-rendered text where a Json value goes. Typed as Json on purpose: decoders never see it
 * (it is made last, for the dump), and the writer, its only reader, knows it.
 */
export function rawJson(text: Buffer): Json {
  return new RawJson(text) as unknown as Json;
}
