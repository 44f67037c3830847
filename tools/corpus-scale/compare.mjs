/**
 * One path's history through both sides: each version parsed by lockwarden and by the established
 * parser, each commit's (parent version → version) pair diffed by both and the change sets compared.
 */
import { basename } from 'node:path';
import { readBlobs } from './git.mjs';
import { formatOf, oracleFamily } from './formats.mjs';
import { entriesOfTexts, oracleChanges } from './oracle.mjs';
import { ecosystemOrder, splitUnpinned } from './errata.mjs';
import { includedFiles } from './includes.mjs';

const key = (c) => JSON.stringify([c.name, c.from, c.to, c.kind]);
const CHUNK = 16;

/**
 * Parses one chunk's new versions with both parsers; the results go into `cache` by blob id.
 * `revs[k]` is the commit (or `<commit>^`) blob k was read at: requirements files' includes come
 * from there (a blob met again at another commit keeps its first includes).
 */
function parseVersions(lw, git, entry, blobs, revs, cache) {
  const unique = [];
  const seenHere = new Set();
  blobs.forEach((b, k) => {
    if (b === null || cache.has(b.oid) || seenHere.has(b.oid)) return;
    seenHere.add(b.oid);
    unique.push({ ...b, rev: revs[k] });
  });
  const texts = unique.map((b) => b.bytes.toString('utf8'));
  const formats = texts.map((t) => formatOf(entry.family, entry.path, t));
  const includes = unique.map((b, i) => (entry.family === 'requirements' ? includedFiles(lw, git, b.rev, entry.path, texts[i]) : undefined));
  const inputs = texts.map((t, i) => (includes[i] ? { path: entry.path, text: t, files: Object.fromEntries(includes[i]) } : t));
  const byFamily = new Map();
  formats.forEach((f, i) => byFamily.set(oracleFamily(f), [...(byFamily.get(oracleFamily(f)) ?? []), i]));
  const oracle = new Array(unique.length);
  for (const [fam, idx] of byFamily) entriesOfTexts(fam, idx.map((i) => inputs[i])).forEach((r, j) => (oracle[idx[j]] = r));
  unique.forEach((b, i) => {
    let lock = null;
    let error = null;
    try {
      // a requirements file is named by its repository path: its includes are resolved from there
      const name = entry.family === 'requirements' ? entry.path : basename(entry.path);
      lock = lw.parseLockfile(name, b.bytes, { path: entry.path, includes: includes[i] });
    } catch (err) {
      error = String(err?.message ?? err).split('\n')[0].slice(0, 300);
    }
    cache.set(b.oid, { format: formats[i], lock, error, oracle: oracle[i] });
  });
}

/** Oracle entries after the documented normalisations (requirements, Pipfile.lock: unpinned entries are lockwarden's `unreviewed`). */
function normalised(format, side) {
  if (format !== 'requirements' && format !== 'pipfile') return { entries: side.oracle.entries, problem: null };
  const split = splitUnpinned(side.oracle.entries, side.lock);
  const problem = split.same ? null : `unpinned ${JSON.stringify(split.unpinned)} but unreviewed ${JSON.stringify(split.unreviewed)}`;
  return { entries: split.pinned, problem };
}

const differences = (ours, theirs) => {
  const a = new Set(ours.map(key));
  const b = new Set(theirs.map(key));
  return { extra: [...a].filter((k) => !b.has(k)), missing: [...b].filter((k) => !a.has(k)) };
};

/**
 * Compares one pair: `{ mismatch: null }` when the sets agree under the plain rule,
 * `{ mismatch: null, erratum }` when they agree once the documented erratum is applied, else the
 * differing changes.
 */
function comparePair(lw, base, head) {
  const ours = lw.diffLockfiles(base.lock, head.lock).map((c) => ({ name: c.name, from: c.from, to: c.to, kind: c.kind }));
  const b = normalised(head.format, base);
  const h = normalised(head.format, head);
  const theirs = oracleChanges(b.entries, h.entries).changes;
  const plain = differences(ours, theirs);
  const problems = [b.problem, h.problem].filter(Boolean);
  if (plain.extra.length === 0 && plain.missing.length === 0 && ours.length === theirs.length && problems.length === 0) return { mismatch: null };
  const ordered = oracleChanges(b.entries, h.entries, ecosystemOrder(oracleFamily(head.format))).changes;
  const eco = differences(ours, ordered);
  if (eco.extra.length === 0 && eco.missing.length === 0 && ours.length === ordered.length && problems.length === 0) return { mismatch: null, erratum: 'version order' };
  return { mismatch: { ...plain, problems, ours: ours.length, oracle: theirs.length } };
}

/** Runs one repos.json entry; calls `record(kind, data)` for every version and pair. */
export function runPath(lw, git, entry, commits, record) {
  let cache = new Map();
  const seen = new Set();
  for (let i = 0; i < commits.length; i += CHUNK) {
    const part = commits.slice(i, i + CHUNK);
    const revs = part.flatMap((c) => [c, `${c}^`]);
    const blobs = readBlobs(git, revs.map((r) => `${r}:${entry.path}`));
    // keep only what this chunk needs: memory stays flat over a long history
    const keep = new Set(blobs.filter(Boolean).map((b) => b.oid));
    cache = new Map([...cache].filter(([oid]) => keep.has(oid)));
    parseVersions(lw, git, entry, blobs, revs, cache);
    part.forEach((commit, j) => recordCommit(lw, entry, commit, blobs[2 * j], blobs[2 * j + 1], cache, seen, record));
  }
}

function recordCommit(lw, entry, commit, headBlob, baseBlob, cache, seen, record) {
  for (const b of [headBlob, baseBlob]) {
    if (b === null || seen.has(b.oid)) continue;
    seen.add(b.oid);
    const v = cache.get(b.oid);
    record('version', { ...entry, commit: b === headBlob ? commit : `${commit}^`, format: v.format, error: v.error, oracleError: v.oracle.error ?? null });
  }
  if (headBlob === null || baseBlob === null || headBlob.oid === baseBlob.oid) return;
  const head = cache.get(headBlob.oid);
  const base = cache.get(baseBlob.oid);
  if (head.lock === null || base.lock === null || head.oracle.error || base.oracle.error) return;
  const { mismatch, erratum } = comparePair(lw, base, head);
  record('pair', { ...entry, commit, format: head.format === base.format ? head.format : `${base.format}→${head.format}`, headFormat: head.format, mismatch, erratum });
}
