import { isUtf8 } from "node:buffer";

// ignoreBOM: a leading BOM stays in the text, as Python's bytes.decode("utf-8") keeps it.
const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Python's bytes.decode("utf-8"); when the bytes are not UTF-8, throws `wrap(the decoder's error)`. */
export function strictUtf8(bytes: Uint8Array, wrap: (cause: unknown) => Error): string {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch (cause) {
    throw wrap(cause);
  }
}

/** Python's bytes.decode("utf-8"), or undefined when the bytes are not UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  return isUtf8(bytes) ? FATAL_UTF8.decode(bytes) : undefined;
}
