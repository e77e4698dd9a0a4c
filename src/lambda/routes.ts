/**
 * Which API resource a path belongs to. Every path is forwarded; this only names it, as an API
 * that declares its resources would: the weblog routes the reference proxy declared keep their
 * templates (so `resource`, `pathParameters` and the tracers' http.route match the reference,
 * and API Security keeps one route per endpoint); any other path is its own resource.
 */
import { decodePath } from "./request.js";

/** Route templates of the system-tests lambda weblogs, in API Gateway's `{name}` notation. */
export const ROUTE_TEMPLATES: readonly string[] = [
  "/params/{path}/",
  "/tag_value/{tag_value}/{status_code}",
  "/waf/{path}",
];

export interface ResourceMatch {
  /** The template, or (outside the known routes) the percent-decoded path. */
  resource: string;
  /** null when the resource has no parameters. */
  pathParameters: Record<string, string> | null;
}

const MATCHERS = ROUTE_TEMPLATES.map((template) => {
  const names: string[] = [];
  // A {name} matches one non-empty segment; a template's trailing slash is optional on the request.
  const body = template
    .replace(/\/$/, "")
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]);
      return "([^/]+)";
    })
    .join("");
  return { template, names, pattern: new RegExp(`^${body}/?$`) };
});

/**
 * The resource a path belongs to, matched segment by segment on the path as sent (so an encoded
 * "/" stays inside its segment). Parameter values are as sent, or percent-decoded with
 * `decodeParameters`: REST APIs pass them encoded, HTTP APIs decoded (see the event builders).
 */
export function matchResource(rawPath: string, decodeParameters: boolean): ResourceMatch {
  for (const { template, names, pattern } of MATCHERS) {
    const m = pattern.exec(rawPath);
    if (m) {
      const value = (i: number) => (decodeParameters ? decodePath(m[i + 1]) : m[i + 1]);
      return { resource: template, pathParameters: Object.fromEntries(names.map((n, i) => [n, value(i)])) };
    }
  }
  return { resource: decodePath(rawPath), pathParameters: null };
}
