/**
 * What a Python file can do, by linear regexes (literal text first, bounded gaps): subprocess, network,
 * literal hosts, credential reads, `exec` of decoded data, and code that runs at import.
 */
import { capabilityFindings } from './capability-findings.js';
import { memoized } from './memo.js';
import { addHit, addPairs, type Capabilities } from './capability-set.js';
import { lineStarts } from './lines.js';
import { hostsIn, termKinds } from './terms.js';
import type { ContentFinding, DetectorContext, FileDelta } from './types.js';

export function isPyPath(path: string): boolean {
  return /\.(?:py|pyw|pth)$/.test(path);
}

/** The `new-capability` detector for Python files (`.pth` start-up files included). */
export function detectPyCapabilities(delta: FileDelta, ctx: DetectorContext): ContentFinding[] {
  return isPyPath(delta.path) ? capabilityFindings(delta, ctx, (text) => memoized('py', text, pyCapabilities), true) : [];
}

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsubprocess\b|\bos\.(?:system|popen|spawn[lv]p?e?|exec[lv]p?e?)\b|\bPopen\(/g, 'process-exec'],
  [/\b(?:urllib|requests|socket|httpx|aiohttp|urlopen|http\.client)\b/g, 'network'],
  [/\b(?:exec|eval|compile)\s{0,8}\(|\b__import__\(/g, 'dynamic-code'],
  [/\b(?:b64decode|b32decode|b85decode|a85decode|decompress|fromhex)\b|\bmarshal\.loads\b|\bcodecs\.decode\b/g, 'decode'],
  [/\bdict\(\s{0,8}os\.environ\s{0,8}\)|\bos\.environ\.copy\(\)|\bdumps\(\s{0,8}(?:dict\()?os\.environ\b/g, 'env-dump'],
  [/\b(?:private_key|secret_key|seed_phrase|mnemonic)\b/g, 'secret-word'],
];

export function pyCapabilities(text: string): Capabilities {
  const caps: Capabilities = new Map();
  for (const [re, kind] of RULES) for (const m of text.matchAll(re)) addHit(caps, kind, m.index);
  addLiterals(caps, text);
  addPairs(caps, lineStarts(text));
  return caps;
}

/** Hosts and credential names, looked for in each string literal's neighbourhood: one line at a time. */
function addLiterals(caps: Capabilities, text: string): void {
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.includes('://')) for (const host of hostsIn(line)) addHit(caps, `host:${host}`, offset + line.indexOf('://'));
    for (const k of termKinds(line)) addHit(caps, k, offset);
    offset += line.length + 1;
  }
}
