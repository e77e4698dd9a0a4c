/**
 * The value Python's protobuf json_format gives a `float` field (type_checkers.ToShortestFloat):
 * the value printed with '%.{p}g' for the smallest p >= 6 that reads back as the same float32.
 * '%g' rounds the exact binary value half-to-even, which JavaScript's toPrecision does not,
 * hence the exact decimal expansion below.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  for (let p = 6; p < 18; p++) {
    const candidate = roundToSignificant(x, p);
    if (Math.fround(candidate) === x) return candidate;
  }
  return x;
}

const view = new DataView(new ArrayBuffer(8));

/** x rounded half-to-even to p significant decimal digits, read back as a double. */
export function roundToSignificant(x: number, p: number): number {
  const negative = x < 0;
  const { digits, scale } = exactDecimal(Math.abs(x));
  let kept = digits;
  let exponent = -scale;
  if (digits.length > p) {
    kept = digits.slice(0, p);
    exponent += digits.length - p;
    const first = digits.charCodeAt(p) - 48;
    const tailNonZero = /[1-9]/.test(digits.slice(p + 1));
    const lastOdd = (kept.charCodeAt(p - 1) - 48) % 2 === 1;
    if (first > 5 || (first === 5 && (tailNonZero || lastOdd))) kept = (BigInt(kept) + 1n).toString();
  }
  return Number(`${negative ? "-" : ""}${kept}e${exponent}`);
}

/** The exact decimal value of a positive finite double: digits × 10^-scale. */
function exactDecimal(x: number): { digits: string; scale: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mantissa |= 1n << 52n;
    e2 = biased - 1075;
  }
  if (e2 >= 0) return { digits: (mantissa << BigInt(e2)).toString(), scale: 0 };
  return { digits: (mantissa * 5n ** BigInt(-e2)).toString(), scale: -e2 };
}
