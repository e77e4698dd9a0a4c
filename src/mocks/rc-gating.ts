import type { Json, JsonObject } from "../json/value.js";
import { isJsonObject } from "../json/value.js";

/**
 * Restricts a /v0.7/config answer to the products the client subscribed to, as the real agent
 * does: only the configs whose product is in the request's `client.products` stay, with their
 * target files. Anything not shaped like a remote-config exchange is left as it is.
 */
export function gateByProducts(response: Json, request: Json): Json {
  if (!isJsonObject(response) || !Array.isArray(response.client_configs)) return response;
  const client = isJsonObject(request) ? request.client : undefined;
  const products = isJsonObject(client) ? client.products : undefined;
  if (!Array.isArray(products)) return response;
  const allowed = new Set(products.filter((p): p is string => typeof p === "string"));

  const configs = response.client_configs;
  const kept = configs.filter((path) => typeof path === "string" && allowed.has(productOf(path) ?? ""));
  if (kept.length === configs.length) return response;

  const gated: JsonObject = { ...response, client_configs: kept };
  if (Array.isArray(response.target_files)) {
    const keptPaths = new Set(kept);
    gated.target_files = response.target_files.filter((file) => isJsonObject(file) && keptPaths.has(file.path));
  }
  return gated;
}

/** datadog/<org_id>/<PRODUCT>/<config_id>/<name> or employee/<PRODUCT>/<config_id>/<name> */
function productOf(path: string): string | undefined {
  const parts = path.split("/");
  return parts.length >= 3 ? parts[parts.length - 3] : undefined;
}
