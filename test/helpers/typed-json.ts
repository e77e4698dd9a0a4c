/**
 * Reads JSON as Python's json module types it: a number token with "." or an exponent (or
 * NaN/Infinity) is a float, any other an int. Used to check that dumps keep Python's int/float
 * distinction, which JSON.parse erases. Returns the paths and kinds of every number.
 */
export function numberKinds(text: string): Map<string, "int" | "float"> {
  const kinds = new Map<string, "int" | "float">();
  let i = 0;
  const skip = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skip();
    const c = text[i];
    if (c === "{") {
      i++;
      skip();
      if (text[i] === "}") return void i++;
      for (;;) {
        skip();
        const key = str();
        skip();
        i++; // ':'
        value(`${path}.${key}`);
        skip();
        if (text[i++] === "}") return;
      }
    }
    if (c === "[") {
      i++;
      skip();
      if (text[i] === "]") return void i++;
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        skip();
        if (text[i++] === "]") return;
      }
    }
    if (c === '"') return void str();
    for (const word of ["true", "false", "null"]) if (text.startsWith(word, i)) return void (i += word.length);
    for (const word of ["NaN", "Infinity", "-Infinity"])
      if (text.startsWith(word, i)) {
        kinds.set(path, "float");
        return void (i += word.length);
      }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) throw new Error(`not JSON at ${i}: ${text.slice(i, i + 20)}`);
    kinds.set(path, m[1] || m[2] ? "float" : "int");
    i += m[0].length;
  };
  value("$");
  return kinds;
}
