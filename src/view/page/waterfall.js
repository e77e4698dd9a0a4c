// A trace drawn as a waterfall: one row per span, nested by parent id, bars by start and
// duration relative to the trace; errors highlighted; a span's tags open on click.
import { el } from "./dom.js";
import { jsonTree } from "./json-tree.js";
import { waterfallOrder } from "./traces.js";

/** @param {import("./traces.js").Trace[]} traces */
export function waterfalls(traces) {
  return el("div", { class: "waterfalls" }, ...traces.map(waterfall));
}

/** Nanoseconds as a short duration. */
export function formatNs(ns) {
  const n = Number(ns);
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} s`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} ms`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} µs`;
  return `${n} ns`;
}

/** @param {import("./traces.js").Trace} trace */
function waterfall(trace) {
  const rows = waterfallOrder(trace);
  let first = rows.length ? rows[0].span.start : 0n;
  let last = first;
  for (const { span } of rows) {
    if (span.start < first) first = span.start;
    const end = span.start + (span.duration > 0n ? span.duration : 0n);
    if (end > last) last = end;
  }
  const total = last - first > 0n ? last - first : 1n;
  const errors = rows.filter((r) => r.span.error).length;
  const box = el(
    "section",
    { class: "waterfall", dataset: { traceId: trace.traceId } },
    el("h3", {}, "trace ", el("code", {}, trace.traceId), ` — ${rows.length} span${rows.length === 1 ? "" : "s"}, ${formatNs(last - first)}`, errors ? el("span", { class: "bad" }, ` — ${errors} with error`) : null),
  );
  for (const { span, depth } of rows) {
    // Percentages of the trace's extent, computed exactly on the integer nanoseconds.
    const left = Number(((span.start - first) * 10000n) / total) / 100;
    const width = Math.max(Number(((span.duration > 0n ? span.duration : 0n) * 10000n) / total) / 100, 0.3);
    const bar = el("div", { class: "wf-bar" });
    bar.style.left = `${left}%`;
    bar.style.width = `${Math.min(width, 100 - left)}%`;
    const label = el(
      "div",
      { class: "wf-label" },
      el("span", { class: "wf-service" }, span.service),
      " ",
      el("span", { class: "wf-name" }, span.name),
      " ",
      el("span", { class: "wf-resource" }, span.resource),
    );
    label.style.paddingLeft = `${depth * 14 + 4}px`;
    const tagsBox = el("div", { class: "wf-tags", hidden: "" });
    const row = el(
      "div",
      { class: `wf-row${span.error ? " error" : ""}`, tabindex: "0", role: "button", "aria-expanded": "false", title: `span ${span.id}${span.parent ? ` (parent ${span.parent})` : ""}` },
      label,
      el("div", { class: "wf-track" }, bar),
      el("div", { class: "wf-duration" }, formatNs(span.duration)),
    );
    const toggle = () => {
      if (tagsBox.hidden && !tagsBox.firstChild) {
        tagsBox.append(el("div", { class: "wf-ids" }, `span_id ${span.id}`, span.parent ? ` · parent_id ${span.parent}` : " · root", span.type ? ` · type ${span.type}` : ""));
        for (const [k, v] of span.tags) tagsBox.append(jsonTree(v, { label: k, open: 1 }));
      }
      tagsBox.hidden = !tagsBox.hidden;
      row.setAttribute("aria-expanded", String(!tagsBox.hidden));
    };
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        e.stopPropagation();
        toggle();
      }
    });
    box.append(row, tagsBox);
  }
  return box;
}
