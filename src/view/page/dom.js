// Building the page's DOM: every piece of text from a dump goes in as a text node
// (textContent), never as markup. There is no innerHTML anywhere in the page.

/**
 * An element with a class, some properties and children (strings become text nodes).
 * @param {string} tag
 * @param {{ class?: string, title?: string, [k: string]: unknown }} [props]
 * @param {...(Node | string | number | null | undefined | false)} children
 */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = String(v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) {
      if (typeof v !== "function") throw new Error(`el: ${k} must be a function`);
      e.addEventListener(k.slice(2), v);
    }
    // Only plain attributes that carry no markup or script (href is set by callers on links they build).
    else e.setAttribute(k, String(v));
  }
  append(e, ...children);
  return e;
}

/** Appends children, strings as text nodes. */
export function append(parent, ...children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

/** Removes every child. */
export function clear(e) {
  while (e.firstChild) e.firstChild.remove();
  return e;
}
