/** Archives whose analysis costs real time and heap: many short escaped string literals, 2 MiB a file. */
import { archive, type Member } from '../content/builders.js';
import type { ArchiveContents } from '../../src/model/contents.js';

const FILE_CHARS = 2 * 1024 * 1024 - 64;

/**
 * A JavaScript file of `"\x61<number>",` literals: every one is a token the scanners decode and check.
 * The numbers come from a seeded generator, so the file compresses like code does (a gzip ratio under 200).
 */
export function literalSoup(seed: number): string {
  const parts: string[] = [];
  let n = 0;
  let x = seed * 7919 + 1;
  for (let i = 0; n < FILE_CHARS; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const s = `"\\x${(97 + (i % 26)).toString(16)}${x % 100000}",`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

/** `files` such files (four: 8 MiB of kept text, the tarball reader's whole-archive cap) and a package.json. */
export function heavyMembers(name: string, version: string, seed: number, files = 4): Record<string, string> {
  const out: Record<string, string> = { 'package.json': JSON.stringify({ name, version, main: 'lib0.js' }) };
  for (let k = 0; k < files; k++) out[`lib${k}.js`] = literalSoup(seed * 10 + k);
  return out;
}

export function heavyArchive(name: string, version: string, seed: number, files = 4): ArchiveContents {
  return archive(name, version, heavyMembers(name, version, seed, files) as Record<string, Member>);
}
