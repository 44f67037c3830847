/**
 * One analysis reads the same text several times (the package-wide pass, each detector, both sides of a
 * change): scanners' results are kept per text for the duration of one `analyseContents` call. Results
 * are shared, so callers must not change them.
 */
let current: Map<string, Map<string, unknown>> | null = null;

/** Runs `fn` with a fresh memo, dropped afterwards (analysis is synchronous: nothing else runs meanwhile). */
export function withMemo<T>(fn: () => T): T {
  const outer = current;
  current = new Map();
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/** `compute(text)`, once per text and `kind` within {@link withMemo}; computed each time outside it. */
export function memoized<T>(kind: string, text: string, compute: (text: string) => T): T {
  if (current === null) return compute(text);
  let byText = current.get(kind);
  if (byText === undefined) current.set(kind, (byText = new Map()));
  if (byText.has(text)) return byText.get(text) as T;
  const value = compute(text);
  byText.set(text, value);
  return value;
}
