/**
 * requirements files: the files a version includes with `-r` (transitively), read from the same
 * commit, as lockwarden's `includes` option and pip (which opens them from disk) both need them.
 */
import { readBlobs } from './git.mjs';

/** Repository-relative path → text of every file `path` (at `rev`) includes, or undefined when it includes none. */
export function includedFiles(lw, git, rev, path, text) {
  const out = new Map();
  const queue = [[path, text]];
  while (queue.length > 0 && out.size < 50) {
    const [file, body] = queue.shift();
    let refs;
    try {
      refs = lw.requirementIncludes(file, body);
    } catch {
      continue; // lockwarden refuses the include line itself: its parse will say so
    }
    for (const ref of refs) {
      if (out.has(ref) || ref === path) continue;
      const blob = readBlobs(git, [`${rev}:${ref}`])[0];
      if (blob === null) continue; // missing: both parsers will say so
      const included = blob.bytes.toString('utf8');
      out.set(ref, included);
      queue.push([ref, included]);
    }
  }
  return out.size === 0 ? undefined : out;
}
