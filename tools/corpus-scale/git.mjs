/** Reads a bare mirror: the commits that touched a path, and blobs through one `git cat-file --batch` per chunk. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The git directory of `owner/name` under the mirrors root (`owner+name/repo`, or its `.git`). */
export function gitDir(mirrors, repo) {
  const dir = join(mirrors, repo.replace('/', '+'), 'repo');
  return existsSync(join(dir, '.git')) ? join(dir, '.git') : dir;
}

/** Commits touching `path`, newest first. */
export function commitsTouching(git, path) {
  const out = execFileSync('git', ['--git-dir', git, 'log', '--format=%H', '--', path], { maxBuffer: 1 << 28, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/**
 * For each revision spec (`<commit>:<path>`, `<commit>^:<path>`): `{ oid, text }`, or null when the
 * object does not exist. Chunked so that one call's output stays a few hundred megabytes at most.
 */
export function readBlobs(git, specs, chunk = 40) {
  const out = [];
  for (let i = 0; i < specs.length; i += chunk) {
    const part = specs.slice(i, i + chunk);
    const r = spawnSync('git', ['--git-dir', git, 'cat-file', '--batch'], { input: part.join('\n') + '\n', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`git cat-file failed: ${r.stderr}`);
    out.push(...splitBatch(r.stdout, part.length));
  }
  return out;
}

/** Splits `git cat-file --batch` output: `<oid> <type> <size>\n<content>\n` or `<spec> missing\n`. */
function splitBatch(buf, count) {
  const out = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    const eol = buf.indexOf(10, at);
    const header = buf.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
    if (!m) {
      out.push(null); // "<spec> missing" / "ambiguous"
      continue;
    }
    const size = Number(m[3]);
    out.push(m[2] === 'blob' ? { oid: m[1], bytes: buf.subarray(at, at + size) } : null);
    at += size + 1;
  }
  return out;
}

/** The commit id a revision names. */
export function revParse(git, rev) {
  return execFileSync('git', ['--git-dir', git, 'rev-parse', rev], { encoding: 'utf8' }).trim();
}
