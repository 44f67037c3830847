/** Line arithmetic over a file's text: offsets to line numbers, and which lines the new version added. */

/** The offset at which each line starts. */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** The 1-based line holding `offset` (binary search over `starts`). */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * 1-based numbers of the new text's lines that the old text does not have anywhere (a set of lines,
 * not a diff: linear, and a moved line is not an addition). Every line when there is no old text.
 */
export function addedLines(before: string | undefined, after: string): Set<number> {
  const old = new Set(before === undefined ? [] : before.split('\n').map((l) => l.trim()));
  const out = new Set<number>();
  after.split('\n').forEach((line, i) => {
    if (!old.has(line.trim())) out.add(i + 1);
  });
  return out;
}
