/**
 * Requirements files that did not change but whose `-r` includes did (`-r common.txt`, where
 * common.txt is no lockfile by its name): what pip installs from them changed, so they are reviewed.
 */
import type { Incomplete } from '../core/review.js';
import { DEFAULT_MAX_BYTES } from '../lockfiles/index.js';
import { loadIncludedFiles, requirementIncludes } from '../lockfiles/formats/requirements/index.js';
import { notReviewedFile } from './change-set.js';
import type { ChangeSource, Side } from './side.js';

/** Most unchanged requirements files whose includes are compared; past it the review fails closed. */
export const MAX_REQUIREMENTS_SCANNED = 500;

type IncludeState = { files: Map<string, string> } | { error: string };

async function includeState(side: Side, file: string, text: string): Promise<IncludeState> {
  try {
    return { files: (await loadIncludedFiles(file, text, (p) => side.include(p))) ?? new Map() };
  } catch (e) {
    // the same failure at both sides is no change (an include broken before the change stays broken)
    return { error: (e as Error).message };
  }
}

function sameState(a: IncludeState, b: IncludeState): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error;
  if (a.files.size !== b.files.size) return false;
  for (const [p, t] of a.files) if (b.files.get(p) !== t) return false;
  return true;
}

/** The head's requirements files not in `changed` whose transitive includes differ between the sides, sorted. */
export async function requirementsWithChangedIncludes(source: ChangeSource, changed: ReadonlySet<string>, notReviewed: Incomplete[]): Promise<string[]> {
  const files = (await source.requirementsFiles()).filter((p) => !changed.has(p)).sort();
  if (files.length > MAX_REQUIREMENTS_SCANNED) {
    const reason = `more than ${MAX_REQUIREMENTS_SCANNED} requirements files: whether their -r includes changed was not checked`;
    notReviewed.push(notReviewedFile(`${files.length} requirements files`, reason));
    return [];
  }
  const out: string[] = [];
  for (const file of files) {
    const read = await source.head.read(file, DEFAULT_MAX_BYTES);
    if (read.kind !== 'file') continue; // unchanged and unreadable at both sides alike
    // unchanged: the same text at both sides, so only the included files can differ
    const text = Buffer.from(read.bytes).toString('utf8');
    let refs: string[];
    try {
      refs = requirementIncludes(file, text);
    } catch {
      continue; // an invalid -r line, the same at both sides
    }
    if (refs.length === 0) continue;
    if (!sameState(await includeState(source.head, file, text), await includeState(source.base, file, text))) out.push(file);
  }
  return out;
}
