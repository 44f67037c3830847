/**
 * lockwarden's own `.github/lockwarden.yml`. The App always reads it from the default branch, so the
 * pull request's copy cannot weaken this review; once merged it governs every later one. A change is
 * shown for awareness (what changed at the top level), never as a finding: editing the config is normal work.
 */
import { isObject } from './specs.js';
import { yamlDoc } from './docs.js';
import { cleanValue } from './values.js';

function topLevel(file: string, text: string | null): Record<string, unknown> | undefined {
  if (text === null) return {};
  try {
    const v = yamlDoc(file, text).value;
    return isObject(v) ? v : v === null || v === undefined ? {} : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What changed, one line each: `failOn changed`, `signals changed`, `allow added`; [] when nothing did. */
export function lockwardenConfigChanges(file: string, base: string | null, head: string | null): string[] {
  const where = 'it takes effect for later reviews once merged (this review used the default branch’s copy)';
  if (head === null) return [`${file} is deleted: ${where}`];
  const b = topLevel(file, base);
  const h = topLevel(file, head);
  if (h === undefined) return [`${file} is not a valid configuration any more: ${where}`];
  if (b === undefined) return [`${file} is rewritten (the base copy was not valid): ${where}`];
  const keys = [...new Set([...Object.keys(b), ...Object.keys(h)])].sort();
  const moved = keys.slice(0, 20).flatMap((k) => {
    const name = cleanValue(k).slice(0, 60);
    if (!Object.hasOwn(b, k)) return [`${name} added`];
    if (!Object.hasOwn(h, k)) return [`${name} removed`];
    return same(b[k], h[k]) ? [] : [`${name} changed`];
  });
  if (base === null) return [`${file} is added (${moved.join(', ') || 'empty'}): ${where}`];
  return moved.length ? [`${file} changed: ${moved.join(', ')}; ${where}`] : [];
}
