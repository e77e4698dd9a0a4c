/**
 * Which API resource a path belongs to. Every path is forwarded; this only names it, as an API
 * that declares its resources would: the weblog routes the reference proxy declared keep their
 * templates (so `resource`, `pathParameters` and the tracers' http.route match the reference,
 * and API Security keeps one route per endpoint); any other path is its own resource.
 */

/** Route templates of the system-tests lambda weblogs, in API Gateway's `{name}` notation. */
export const ROUTE_TEMPLATES: readonly string[] = [
  "/params/{path}/",
  "/tag_value/{tag_value}/{status_code}",
  "/waf/{path}",
];

export interface ResourceMatch {
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

/** The resource a (percent-decoded) path belongs to. */
export function matchResource(path: string): ResourceMatch {
  for (const { template, names, pattern } of MATCHERS) {
    const m = pattern.exec(path);
    if (m) return { resource: template, pathParameters: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
  }
  return { resource: path, pathParameters: null };
}
