// One exchange opened: what it was, both sides' headers and decoded content, and the views
// made for what it carries (trace waterfalls, telemetry events, remote-config client state).
import { JsonNumber, JsonObject, at, parseJsonText } from "./json-text.js";
import { el } from "./dom.js";
import { jsonTree } from "./json-tree.js";
import { isTracePath, tracesOf } from "./traces.js";
import { waterfalls } from "./waterfall.js";

/**
 * @param {string} iface
 * @param {string} name dump file name
 * @param {string} text the dump's text
 */
export function renderDetail(iface, name, text) {
  let dump;
  try {
    dump = parseJsonText(text);
  } catch (error) {
    return el("div", { class: "detail" }, el("h2", {}, `${iface}/${name}`), el("p", { class: "bad" }, `not readable as JSON: ${error.message}`), el("pre", {}, text.slice(0, 100000)));
  }
  const str = (v) => (typeof v === "string" ? v : v instanceof JsonNumber ? v.text : v === null ? "null" : v === undefined ? "" : "…");
  const path = str(at(dump, "path"));
  const query = str(at(dump, "query"));
  const request = at(dump, "request");
  const response = at(dump, "response");
  const status = response === null ? "no response" : str(at(response, "status_code"));
  const box = el(
    "div",
    { class: "detail" },
    el("h2", {}, el("span", { class: "d-method" }, str(at(dump, "method"))), " ", el("span", { class: "d-path" }, path + (query ? `?${query}` : "")), " → ", el("span", { class: "d-status" }, status)),
    el("p", { class: "d-meta" }, `${iface} · ${name} · ${str(at(dump, "host"))}:${str(at(dump, "port"))} · ${str(at(request, "timestamp_start"))}`),
  );
  const error = at(dump, "error");
  if (typeof error === "string") box.append(el("p", { class: "bad" }, `error: ${error}`));

  const content = at(request, "content");
  if (isTracePath(path)) {
    const traces = tracesOf(path, content);
    if (traces.length > 0) box.append(section("Traces", waterfalls(traces)));
  }
  const special = telemetry(content) ?? remoteConfig(content);
  if (special) box.append(special);

  box.append(side("Request", request));
  box.append(response === null ? section("Response", el("p", {}, "none (no answer came)")) : side("Response", response));
  box.append(section("Whole dump", jsonTree(dump, { open: 0 })));
  return box;
}

function section(title, ...body) {
  return el("section", { class: "d-section" }, el("h3", {}, title), ...body);
}

function side(title, part) {
  const body = [];
  const headers = at(part, "headers");
  if (Array.isArray(headers)) {
    body.push(
      el(
        "table",
        { class: "headers" },
        el("tbody", {}, ...headers.map((h) => el("tr", {}, el("th", {}, String(at(h, 0) ?? "")), el("td", {}, String(at(h, 1) ?? ""))))),
      ),
    );
  }
  const length = at(part, "length");
  if (length instanceof JsonNumber) body.push(el("p", { class: "d-meta" }, `length ${length.text}`));
  if (part instanceof JsonObject && part.has("traceback")) {
    body.push(el("p", { class: "bad" }, "could not be decoded:"), el("pre", { class: "traceback" }, String(at(part, "traceback"))));
    if (part.has("raw_content")) body.push(el("h4", {}, "raw_content"), el("pre", { class: "raw" }, String(at(part, "raw_content")).slice(0, 200000)));
  }
  if (part instanceof JsonObject && part.has("content")) body.push(el("h4", {}, "content"), jsonTree(at(part, "content"), { open: 2 }));
  return section(title, ...body);
}

/** Telemetry: its request_type, and each event of a message-batch. */
function telemetry(content) {
  const type = at(content, "request_type");
  if (typeof type !== "string") return undefined;
  const box = section(`Telemetry: ${type}`);
  const payload = at(content, "payload");
  if (type === "message-batch" && Array.isArray(payload)) {
    const list = el("ol", { class: "events" });
    for (const event of payload) {
      const t = at(event, "request_type");
      list.append(el("li", {}, el("strong", {}, typeof t === "string" ? t : "?"), jsonTree(at(event, "payload") ?? null, { label: "payload", open: 0 })));
    }
    box.append(list);
  } else if (payload !== undefined) box.append(jsonTree(payload, { label: "payload", open: 1 }));
  return box;
}

/** A remote-config poll: the client's state and products. */
function remoteConfig(content) {
  const client = at(content, "client");
  if (!(client instanceof JsonObject) || !client.has("products")) return undefined;
  const products = at(client, "products");
  const tracer = at(client, "client_tracer");
  return section(
    "Remote config poll",
    el("p", {}, "products: ", el("strong", {}, Array.isArray(products) ? products.map(String).join(", ") : "")),
    tracer instanceof JsonObject ? el("p", {}, `client: ${String(at(tracer, "language") ?? "")} ${String(at(tracer, "service") ?? "")} (${String(at(client, "id") ?? "")})`) : null,
    jsonTree(at(client, "state") ?? null, { label: "state", open: 1 }),
  );
}
