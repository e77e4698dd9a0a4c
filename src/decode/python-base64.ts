import { PayloadError } from "../errors.js";
/**
 * Python's base64 decoding (binascii.a2b_base64 of CPython 3.11, the reference's Python), which
 * the reference applies to content-encoding "base64", to `_dd.appsec.s.*` meta values
 * (validate=True: strict mode) and to agent metaStruct values. Node's Buffer.from(s, "base64")
 * accepts more (missing padding, data after padding), which would decode payloads the
 * reference rejects.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 0x3d;
const TABLE = new Uint8Array(256).fill(0xff);
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;

export class Base64Error extends PayloadError {
  readonly code: string = "PAYLOAD_BASE64";
  override name = "binascii.Error";
}

/** binascii.a2b_base64(data, strict_mode=strict). */
export function a2bBase64(data: Uint8Array, strict = false): Buffer {
  const out = Buffer.allocUnsafe(Math.floor((data.length + 3) / 4) * 3);
  let n = 0;
  if (strict && data.length > 0 && data[0] === PAD) throw new Base64Error("Leading padding not allowed");
  let quadPos = 0;
  let left = 0;
  let pads = 0;
  let paddingStarted = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === PAD) {
      paddingStarted = true;
      if (quadPos >= 2 && quadPos + ++pads >= 4) {
        // A complete pad sequence ends the input.
        if (strict && i + 1 < data.length) throw new Base64Error("Excess data after padding");
        return out.subarray(0, n);
      }
      continue;
    }
    const v = TABLE[c];
    if (v === 0xff) {
      if (strict) throw new Base64Error("Only base64 data is allowed");
      continue;
    }
    if (strict && paddingStarted) throw new Base64Error("Discontinuous padding not allowed");
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        left = v;
        break;
      case 1:
        quadPos = 2;
        out[n++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out[n++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quadPos = 0;
        out[n++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  if (quadPos === 1)
    throw new Base64Error(
      `Invalid base64-encoded string: number of data characters (${Math.floor(n / 3) * 4 + 1}) cannot be 1 more than a multiple of 4`,
    );
  if (quadPos !== 0) throw new Base64Error("Incorrect padding");
  return out.subarray(0, n);
}

/** base64.b64decode(s, validate=validate): a str argument must be ASCII. */
export function b64decode(s: string | Uint8Array, validate = false): Buffer {
  if (typeof s === "string") {
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(s)) throw new Error("ValueError: string argument should contain only ASCII characters");
    return a2bBase64(Buffer.from(s, "latin1"), validate);
  }
  return a2bBase64(s, validate);
}
