// A collapsible JSON tree (details/summary: keyboard-friendly without script). Children are
// built when a node is first opened, so a dump of megabytes opens at once.
import { JsonNumber, JsonObject, scalarText } from "./json-text.js";
import { el } from "./dom.js";

const PREVIEW = 60;

/**
 * @param {unknown} value parsed by parseJsonText
 * @param {{ open?: number, label?: string }} [options] open: depth opened at first
 */
export function jsonTree(value, options = {}) {
  return node(options.label, value, 0, options.open ?? 1);
}

function isContainer(v) {
  return v instanceof JsonObject || Array.isArray(v);
}

function childrenOf(v) {
  return v instanceof JsonObject ? v.entries : v.map((x, i) => [String(i), x]);
}

function node(label, v, depth, openDepth) {
  if (!isContainer(v)) {
    return el("div", { class: "jt-leaf" }, label !== undefined ? el("span", { class: "jt-key" }, label, ": ") : null, scalar(v));
  }
  const kids = childrenOf(v);
  const brackets = v instanceof JsonObject ? ["{", "}"] : ["[", "]"];
  const summary = el(
    "summary",
    {},
    label !== undefined ? el("span", { class: "jt-key" }, label, ": ") : null,
    el("span", { class: "jt-count" }, `${brackets[0]}${kids.length} ${v instanceof JsonObject ? (kids.length === 1 ? "key" : "keys") : kids.length === 1 ? "item" : "items"}${brackets[1]}`),
    el("span", { class: "jt-preview" }, preview(v)),
  );
  const details = el("details", { class: "jt-node" }, summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    const box = el("div", { class: "jt-children" });
    for (const [k, child] of kids) box.append(node(k, child, depth + 1, openDepth));
    details.append(box);
  };
  details.addEventListener("toggle", () => details.open && build());
  if (depth < openDepth && kids.length > 0) {
    build();
    details.open = true;
  }
  return details;
}

function scalar(v) {
  const cls = v instanceof JsonNumber ? "jt-num" : typeof v === "string" ? "jt-str" : "jt-lit";
  return el("span", { class: cls }, scalarText(v));
}

function preview(v) {
  const parts = [];
  let len = 0;
  for (const [k, child] of childrenOf(v)) {
    const text = isContainer(child) ? (child instanceof JsonObject ? "{…}" : "[…]") : scalarText(child);
    const part = v instanceof JsonObject ? `${k}: ${text}` : text;
    parts.push(part);
    len += part.length;
    if (len > PREVIEW) break;
  }
  const joined = parts.join(", ");
  return joined.length > PREVIEW ? ` ${joined.slice(0, PREVIEW)}…` : ` ${joined}`;
}
