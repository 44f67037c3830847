/** Packs a published version into a temp folder outside the repository (`npm pack`) and reads it as ArchiveContents. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Text kept up to this size per file (the gatherer's cap is its own; this is the run's). */
const TEXT_CAP = 64 * 1024 * 1024;

export function fetchVersion(work, name, version) {
  const dir = join(work, `${name.replace('/', '+')}@${version}`);
  mkdirSync(dir, { recursive: true });
  const out = execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], { cwd: dir, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  mkdirSync(join(dir, 'x'), { recursive: true });
  execFileSync('tar', ['xzf', out, '-C', 'x'], { cwd: dir });
  const top = readdirSync(join(dir, 'x'))[0];
  return readArchive(join(dir, 'x', top), name, version, statSync(join(dir, out)).size);
}

function readArchive(root, name, version, compressed) {
  const files = walk(root).map((p) => member(root, p));
  const unpacked = files.reduce((n, f) => n + f.size, 0);
  return { ecosystem: 'npm', name, version, integrity: `local-${name}@${version}`, files, skipped: [], bytes: { compressed, unpacked } };
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

function member(root, p) {
  const bytes = readFileSync(p);
  const f = { path: relative(root, p).split('\\').join('/'), size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  const text = bytes.includes(0) ? null : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text !== null && !text.includes('\uFFFD') && bytes.length <= TEXT_CAP) return { ...f, kind: 'text', text, executable: (statSync(p).mode & 0o111) !== 0 };
  return { ...f, kind: 'binary', head: bytes.subarray(0, 64).toString('base64'), executable: (statSync(p).mode & 0o111) !== 0 };
}
