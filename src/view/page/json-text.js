// Lossless JSON for the page: numbers are kept as their text (dumps hold unsigned 64-bit ids
// that a JavaScript number would round), objects keep their keys in order (duplicates too),
// and Python's NaN / Infinity / -Infinity tokens are read as numbers. No eval, no JSON.parse
// tricks: a small recursive-descent reader.

/** A number as written in the dump: `text` is exact; `value` is the nearest double. */
export class JsonNumber {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
  get value() {
    return this.text === "NaN" ? NaN : Number(this.text);
  }
  /** The exact integer as a BigInt, or undefined when not an integer token. */
  get bigint() {
    return /^-?\d+$/.test(this.text) ? BigInt(this.text) : undefined;
  }
}

/** An object: `entries` in order as written; `get` gives a key's last value, as JSON.parse would. */
export class JsonObject {
  constructor() {
    /** @type {[string, unknown][]} */
    this.entries = [];
    /** @type {Map<string, unknown>} */
    this.map = new Map();
  }
  /** @param {string} key */
  get(key) {
    return this.map.get(key);
  }
  /** @param {string} key */
  has(key) {
    return this.map.has(key);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPECIAL = /NaN|-?Infinity/y;

/**
 * Parses JSON text; throws a SyntaxError saying where it stopped.
 * @param {string} text
 */
export function parseJsonText(text) {
  let i = 0;
  const fail = (what) => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const space = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };
  const string = () => {
    // text[i] is the opening quote
    let out = "";
    let from = ++i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail("unterminated string");
      if (c === 34) {
        out += text.slice(from, i++);
        return out;
      }
      if (c === 92) {
        out += text.slice(from, i);
        const e = text[i + 1];
        i += 2;
        if (e === "u") {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else {
          const map = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (!(e in map)) fail("bad escape");
          out += map[e];
        }
        from = i;
        continue;
      }
      i++;
    }
  };
  const value = (depth) => {
    if (depth > 2000) fail("nested too deep");
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj = new JsonObject();
      space();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail("expected a key");
        const key = string();
        space();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        const v = value(depth + 1);
        obj.entries.push([key, v]);
        obj.map.set(key, v);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr = [];
      space();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) return (i += 4), true;
    if (text.startsWith("false", i)) return (i += 5), false;
    if (text.startsWith("null", i)) return (i += 4), null;
    for (const re of [NUMBER, SPECIAL]) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (m) {
        i = re.lastIndex;
        return new JsonNumber(m[0]);
      }
    }
    return fail("unexpected character");
  };
  const result = value(0);
  space();
  if (i !== text.length) fail("unexpected text after the value");
  return result;
}

/** A value's text for display: strings quoted as JSON, numbers exactly as written. */
export function scalarText(v) {
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** Plain access through objects and arrays: path of keys / indexes; undefined when absent. */
export function at(v, ...path) {
  for (const k of path) {
    if (v instanceof JsonObject) v = v.get(String(k));
    else if (Array.isArray(v) && typeof k === "number") v = v[k];
    else return undefined;
  }
  return v;
}
