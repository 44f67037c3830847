/** Hex digits read in place: `Number.parseInt(text.slice(from, from + digits), 16)` without the slice. */

function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The same value as parseInt of the slice (a prefix, a sign, `0x`, NaN), fast when all are hex digits. */
export function hexAt(text: string, from: number, digits: number): number {
  let v = 0;
  for (let i = 0; i < digits; i++) {
    const d = from + i < text.length ? digit(text.charCodeAt(from + i)) : -1;
    if (d < 0) return Number.parseInt(text.slice(from, from + digits), 16);
    v = v * 16 + d;
  }
  return v;
}
