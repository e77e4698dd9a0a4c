/**
 * A JSON pointer (as ajv reports where a value failed) written as a JSON path, e.g.
 * /request/content/0/3/trace_id → $.request.content[0][3].trace_id. The value is walked so
 * that an array index and an object key made of digits are told apart.
 */
export function jsonPath(pointer: string, root: unknown): string {
  let path = "$";
  let at: unknown = root;
  if (pointer === "") return path;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(at)) path += `[${key}]`;
    else path += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  }
  return path;
}
