// The page: every exchange of a log folder as a row (only the rows in sight are drawn, so
// 100,000 stay fast), filters, keyboard, live updates, one exchange opened on the right.
import { el, clear } from "./dom.js";
import { renderDetail } from "./detail.js";

const ROW_HEIGHT = 24;
const $ = (id) => document.getElementById(id);

/** @typedef {{ interface: string, name: string, number: number, path: string, mtimeMs: number }} Entry */
const state = {
  /** @type {Map<string, Entry>} every row, by id "<interface>/<name>" */
  rows: new Map(),
  /** @type {Entry[]} rows shown, in order */
  shown: [],
  /** @type {Map<string, any>} summaries read so far */
  summaries: new Map(),
  pendingSummaries: new Set(),
  interfaces: new Set(),
  iface: "",
  text: "",
  newestFirst: true,
  /** ids whose content holds `text` (server search) */
  contentMatches: new Set(),
  selected: "",
  listDone: false,
  live: false,
};

const idOf = (e) => `${e.interface}/${e.name}`;

// ---- rows in, filtered, sorted ------------------------------------------------------------

function addEntries(entries) {
  for (const e of entries) {
    const id = idOf(e);
    if (!state.rows.has(id)) state.rows.set(id, e);
    if (!state.interfaces.has(e.interface)) {
      state.interfaces.add(e.interface);
      addInterfaceOption(e.interface);
    }
  }
  scheduleRefresh();
}

function addInterfaceOption(name) {
  const select = $("iface");
  if ([...select.options].some((o) => o.value === name)) return;
  select.append(el("option", { value: name }, name));
}

function matches(e) {
  if (state.iface && e.interface !== state.iface) return false;
  if (!state.text) return true;
  const t = state.text.toLowerCase();
  const s = state.summaries.get(idOf(e));
  return e.path.toLowerCase().includes(t) || (s?.path ?? "").toLowerCase().includes(t) || state.contentMatches.has(idOf(e));
}

function compare(a, b) {
  return a.mtimeMs - b.mtimeMs || (a.interface < b.interface ? -1 : a.interface > b.interface ? 1 : a.number - b.number);
}

let refreshTimer = 0;
let lastRefresh = 0;
/** Re-filters and redraws, at most a few times a second while rows pour in. */
function scheduleRefresh() {
  if (refreshTimer) return;
  const wait = Math.max(0, Math.min(state.rows.size / 1000, 300) - (performance.now() - lastRefresh));
  refreshTimer = setTimeout(() => {
    refreshTimer = 0;
    lastRefresh = performance.now();
    refresh();
  }, wait);
}

function refresh() {
  const shown = [];
  for (const e of state.rows.values()) if (matches(e)) shown.push(e);
  shown.sort(compare);
  if (state.newestFirst) shown.reverse();
  state.shown = shown;
  $("spacer").style.height = `${shown.length * ROW_HEIGHT}px`;
  $("count").textContent = `${shown.length.toLocaleString()} of ${state.rows.size.toLocaleString()} exchanges${state.listDone ? "" : " (loading…)"}`;
  draw();
}

// ---- the visible rows ---------------------------------------------------------------------

function draw() {
  const viewport = $("viewport");
  const from = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 5);
  const to = Math.min(state.shown.length, from + Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 10);
  const rows = clear($("rows"));
  rows.style.transform = `translateY(${from * ROW_HEIGHT}px)`;
  const missing = [];
  for (let i = from; i < to; i++) {
    const e = state.shown[i];
    const id = idOf(e);
    const s = state.summaries.get(id);
    if (!s && !state.pendingSummaries.has(id)) missing.push(id);
    rows.append(rowOf(e, s, id));
  }
  if (missing.length) fetchSummaries(missing);
}

function size(n) {
  if (n === undefined || n === null) return "";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function rowOf(e, s, id) {
  const time = s?.time ? s.time.slice(11, 23) : new Date(e.mtimeMs).toISOString().slice(11, 23);
  const status = s ? (s.status === null ? "—" : String(s.status ?? "")) : "";
  const row = el(
    "a",
    {
      class: `row${id === state.selected ? " selected" : ""}${s?.problem ? " problem" : ""}${s && typeof s.status === "number" && s.status >= 400 ? " failed" : ""}`,
      href: `#${encodeURIComponent(e.interface)}/${encodeURIComponent(e.name)}`,
      role: "row",
      dataset: { id },
    },
    el("span", { class: "c-iface" }, e.interface),
    el("span", { class: "c-num" }, String(e.number)),
    el("span", { class: "c-method" }, s?.method ?? ""),
    el("span", { class: "c-path", title: s?.path ?? e.path }, s?.path ?? e.path),
    el("span", { class: "c-note" }, s?.note ?? ""),
    el("span", { class: "c-status" }, status),
    el("span", { class: "c-size" }, s ? `${size(s.requestLength)} / ${size(s.responseLength)}` : ""),
    el("span", { class: "c-time" }, time),
    el("span", { class: "c-mark", title: s?.problem ?? "" }, s?.problem ? "⚠" : ""),
  );
  row.style.height = `${ROW_HEIGHT}px`;
  return row;
}

let summaryTimer = 0;
const summaryQueue = new Set();
function fetchSummaries(ids) {
  for (const id of ids) {
    summaryQueue.add(id);
    state.pendingSummaries.add(id);
  }
  if (summaryTimer) return;
  summaryTimer = setTimeout(async () => {
    summaryTimer = 0;
    const batch = [...summaryQueue].slice(0, 200);
    for (const id of batch) summaryQueue.delete(id);
    try {
      const res = await fetch(`api/summaries?ids=${batch.map(encodeURIComponent).join(",")}`);
      const got = await res.json();
      for (const [id, s] of Object.entries(got)) state.summaries.set(id, s);
    } catch {
      // shown without details; tried again when drawn again
    }
    for (const id of batch) state.pendingSummaries.delete(id);
    if (summaryQueue.size) fetchSummaries([]);
    draw();
  }, 30);
}

// ---- loading: the folder's list, then news over the WebSocket ------------------------------

/** Reads an NDJSON response line by line as it arrives. */
async function readLines(response, onLine, signal) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    if (signal?.aborted) return reader.cancel();
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line) onLine(JSON.parse(line));
    }
  }
}

async function loadList() {
  state.listDone = false;
  const res = await fetch("api/list");
  await readLines(res, (msg) => {
    if (msg.type === "info") {
      for (const i of msg.interfaces) addInterfaceOption(i);
      $("folder").textContent = msg.logFolder;
      $("har").hidden = !msg.har;
      document.title = `st-proxy — ${msg.logFolder}`;
    } else if (msg.type === "dumps") addEntries(msg.dumps);
  });
  state.listDone = true;
  scheduleRefresh();
}

/** Opens the live socket; resolves once it is open or refused (the list is read after it: no gap). */
function connectLive(delay = 500) {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${location.pathname.replace(/[^/]*$/, "")}ws`);
  const settled = new Promise((resolve) => {
    ws.addEventListener("open", resolve);
    ws.addEventListener("close", resolve);
  });
  ws.addEventListener("open", () => {
    state.live = true;
    $("live").textContent = "live";
    $("live").className = "live";
    delay = 500;
  });
  ws.addEventListener("message", (event) => {
    const msg = JSON.parse(event.data);
    if (msg.type === "dumps") {
      addEntries(msg.dumps);
      searchLive(msg.dumps);
    }
    // The page fell behind: the server counted instead of queueing; list the folder again.
    else if (msg.type === "more") loadList();
  });
  ws.addEventListener("close", () => {
    const was = state.live;
    state.live = false;
    $("live").textContent = was ? "disconnected" : "not live";
    $("live").className = "";
    // A server that has a feed comes back; one without (404) is a still view.
    // Back after a gap: list again, so that what landed meanwhile is there.
    if (was) setTimeout(() => connectLive(Math.min(delay * 2, 10000)).then(() => state.live && loadList()), delay);
  });
  return settled;
}

// ---- filters --------------------------------------------------------------------------------

let search = null;
function startContentSearch(start = 0) {
  search?.abort();
  if (start === 0) state.contentMatches = new Set();
  $("more").hidden = true;
  const text = state.text;
  if (text.length < 3) {
    $("searching").textContent = text ? "type 3 characters or more to search contents" : "";
    return scheduleRefresh();
  }
  const controller = new AbortController();
  search = controller;
  const params = new URLSearchParams({ q: text, order: state.newestFirst ? "newest" : "oldest", start: String(start) });
  if (state.iface) params.set("i", state.iface);
  $("searching").textContent = "searching contents…";
  fetch(`api/search?${params}`, { signal: controller.signal })
    .then((res) =>
      readLines(
        res,
        (msg) => {
          if (msg.type === "match") {
            state.contentMatches.add(`${msg.interface}/${msg.name}`);
            scheduleRefresh();
          } else if (msg.type === "progress") $("searching").textContent = `searching contents: ${msg.scanned.toLocaleString()} / ${msg.total.toLocaleString()} dumps`;
          else if (msg.type === "end") {
            $("searching").textContent = `contents searched: ${msg.scanned.toLocaleString()} / ${msg.total.toLocaleString()} dumps${msg.next !== undefined ? " (stopped at the search's limit)" : ""}`;
            if (msg.next !== undefined) {
              $("more").hidden = false;
              $("more").onclick = () => startContentSearch(msg.next);
            }
          }
        },
        controller.signal,
      ),
    )
    .catch(() => {})
    .finally(() => scheduleRefresh());
}

// Rows that arrive live while a text filter is on: their contents are searched too, in batches.
const liveQueue = [];
let liveTimer = 0;
function searchLive(entries) {
  if (state.text.length < 3) return;
  liveQueue.push(...entries.map(idOf));
  if (liveTimer) return;
  liveTimer = setTimeout(async function next() {
    liveTimer = 0;
    const text = state.text;
    const batch = liveQueue.splice(0, 200);
    if (batch.length === 0 || text.length < 3) return;
    try {
      const res = await fetch(`api/search?${new URLSearchParams({ q: text, ids: batch.join(",") })}`);
      await readLines(res, (msg) => {
        if (msg.type === "match" && state.text === text) {
          state.contentMatches.add(`${msg.interface}/${msg.name}`);
          scheduleRefresh();
        }
      });
    } catch {
      // a row missed by the filter; the next search finds it
    }
    if (liveQueue.length) liveTimer = setTimeout(next, 0);
  }, 200);
}

let textTimer = 0;
function onText() {
  clearTimeout(textTimer);
  textTimer = setTimeout(() => {
    state.text = $("text").value.trim();
    refresh();
    startContentSearch();
  }, 250);
}

// ---- opening a row ------------------------------------------------------------------------

let opening = 0;
async function open(id) {
  const slash = id.indexOf("/");
  if (slash < 0) return;
  const iface = id.slice(0, slash);
  const name = id.slice(slash + 1);
  state.selected = id;
  draw();
  const ticket = ++opening;
  const detail = clear($("detail"));
  detail.append(el("p", {}, `opening ${id}…`));
  let text;
  try {
    const res = await fetch(`api/dump?${new URLSearchParams({ i: iface, n: name })}`);
    if (!res.ok) throw new Error(`${res.status} ${(await res.text()).trim()}`);
    text = await res.text();
  } catch (error) {
    if (ticket === opening) clear(detail).append(el("p", { class: "bad" }, `cannot open ${id}: ${error.message}`));
    return;
  }
  if (ticket !== opening) return;
  clear(detail).append(renderDetail(iface, name, text));
  detail.scrollTop = 0;
}

function openFromHash() {
  const hash = location.hash.slice(1);
  if (!hash) return;
  const slash = hash.indexOf("/");
  if (slash < 0) return;
  let id;
  try {
    id = `${decodeURIComponent(hash.slice(0, slash))}/${decodeURIComponent(hash.slice(slash + 1))}`;
  } catch {
    return;
  }
  if (id !== state.selected || !$("detail").firstChild) open(id);
}

/** Moves the selection by `delta` rows (keyboard), scrolling it into sight, and opens it. */
function move(delta) {
  if (state.shown.length === 0) return;
  let i = state.shown.findIndex((e) => idOf(e) === state.selected);
  i = i < 0 ? 0 : Math.max(0, Math.min(state.shown.length - 1, i + delta));
  const e = state.shown[i];
  const viewport = $("viewport");
  const top = i * ROW_HEIGHT;
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
  location.hash = `${encodeURIComponent(e.interface)}/${encodeURIComponent(e.name)}`;
}

// ---- wiring ---------------------------------------------------------------------------------

function init() {
  $("viewport").addEventListener("scroll", () => requestAnimationFrame(draw));
  window.addEventListener("resize", () => draw());
  $("iface").addEventListener("change", () => {
    state.iface = $("iface").value;
    $("har").href = state.iface ? `api/har?i=${encodeURIComponent(state.iface)}` : "api/har";
    refresh();
    if (state.text) startContentSearch();
  });
  $("order").addEventListener("change", () => {
    state.newestFirst = $("order").value === "newest";
    refresh();
  });
  $("text").addEventListener("input", onText);
  $("text").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      clearTimeout(textTimer);
      state.text = $("text").value.trim();
      refresh();
      startContentSearch();
    } else if (e.key === "Escape") {
      $("text").value = "";
      onText();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      $("viewport").focus();
      move(0);
    }
  });
  window.addEventListener("hashchange", openFromHash);
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === "/" && !typing) {
      e.preventDefault();
      $("text").focus();
      $("text").select();
      return;
    }
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target instanceof Element && e.target.closest("#detail")) return;
    const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: 20, PageUp: -20, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const d = moves[e.key];
      move(Number.isFinite(d) ? d : d > 0 ? state.shown.length : -state.shown.length);
    }
  });
  connectLive()
    .then(loadList)
    .then(openFromHash, (error) => {
      $("count").textContent = `cannot list the folder: ${error.message}`;
    });
}

init();
