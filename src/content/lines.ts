/** Line arithmetic over a file's text: offsets to line numbers, and which lines the new version added. */

export { lineOf, lineStarts } from '../model/lines.js';

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
