/** The options part of a requirements line, as pip's optparse reads it (shell-split, long and short options). */
import type { LockHash } from '../../../model/index.js';
import { parseHashSpec } from '../../shared/python.js';

/** pip's shlex.split of the options part (POSIX rules: quotes, backslash escapes). */
function shellSplit(s: string, fail: (m: string) => never): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
      i++;
    } else if (ch === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) fail('could not split options: no closing quotation');
      cur += s.slice(i + 1, close);
      inToken = true;
      i = close + 1;
    } else if (ch === '"') {
      i++;
      inToken = true;
      for (;;) {
        if (i >= n) fail('could not split options: no closing quotation');
        const d = s[i]!;
        if (d === '"') break;
        if (d === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) {
          cur += s[i + 1];
          i += 2;
        } else {
          cur += d;
          i++;
        }
      }
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= n) fail('could not split options: no escaped character');
      cur += s[i + 1];
      inToken = true;
      i += 2;
    } else {
      cur += ch;
      inToken = true;
      i++;
    }
  }
  if (inToken) out.push(cur);
  return out;
}

type Dest = 'requirement' | 'constraint' | 'editable' | 'hash' | 'other';

interface OptionSpec {
  dest: Dest;
  takesValue: boolean;
}

/** pip's requirements-file options (SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ), plus the per-requirement options of older pips. */
const LONG_OPTIONS = new Map<string, OptionSpec>([
  ['--index-url', { dest: 'other', takesValue: true }],
  ['--pypi-url', { dest: 'other', takesValue: true }],
  ['--extra-index-url', { dest: 'other', takesValue: true }],
  ['--no-index', { dest: 'other', takesValue: false }],
  ['--constraint', { dest: 'constraint', takesValue: true }],
  ['--requirement', { dest: 'requirement', takesValue: true }],
  ['--editable', { dest: 'editable', takesValue: true }],
  ['--find-links', { dest: 'other', takesValue: true }],
  ['--no-binary', { dest: 'other', takesValue: true }],
  ['--only-binary', { dest: 'other', takesValue: true }],
  ['--prefer-binary', { dest: 'other', takesValue: false }],
  ['--require-hashes', { dest: 'other', takesValue: false }],
  ['--no-require-hashes', { dest: 'other', takesValue: false }],
  ['--pre', { dest: 'other', takesValue: false }],
  ['--all-releases', { dest: 'other', takesValue: true }],
  ['--only-final', { dest: 'other', takesValue: true }],
  ['--trusted-host', { dest: 'other', takesValue: true }],
  ['--use-feature', { dest: 'other', takesValue: true }],
  ['--hash', { dest: 'hash', takesValue: true }],
  ['--config-settings', { dest: 'other', takesValue: true }],
  ['--global-option', { dest: 'other', takesValue: true }],
  ['--install-option', { dest: 'other', takesValue: true }],
  ['--build-option', { dest: 'other', takesValue: true }],
]);

const SHORT_OPTIONS = new Map<string, string>([
  ['i', '--index-url'],
  ['c', '--constraint'],
  ['r', '--requirement'],
  ['e', '--editable'],
  ['f', '--find-links'],
  ['C', '--config-settings'],
]);

/** optparse's long option lookup: exact, else the one option the text abbreviates. */
function longOption(name: string, fail: (m: string) => never): [string, OptionSpec] {
  const exact = LONG_OPTIONS.get(name);
  if (exact !== undefined) return [name, exact];
  const matches = [...LONG_OPTIONS.keys()].filter((k) => k.startsWith(name));
  if (matches.length === 1) return [matches[0]!, LONG_OPTIONS.get(matches[0]!)!];
  if (matches.length > 1) fail(`ambiguous option ${name.slice(0, 100)} (${matches.join(', ')})`);
  return fail(`unknown option ${name.slice(0, 100)}`);
}

interface LineOptions {
  requirements: string[];
  constraints: string[];
  editables: string[];
  hashes: LockHash[];
  /** Where pip looks for packages (`--index-url`, `--extra-index-url`, `--find-links`, `--trusted-host`), for src/guard-rails. */
  sources: Array<{ option: string; value: string }>;
}

const SOURCE_OPTIONS = new Set(['--index-url', '--pypi-url', '--extra-index-url', '--find-links', '--trusted-host']);

const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512']);

export function parseOptions(s: string, fail: (m: string) => never): LineOptions {
  const o: LineOptions = { requirements: [], constraints: [], editables: [], hashes: [], sources: [] };
  const tokens = shellSplit(s, fail);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '--') break; // optparse: the rest are positional arguments, which pip ignores
    let name: string;
    let spec: OptionSpec;
    let value: string | undefined;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      [name, spec] = longOption(eq >= 0 ? t.slice(0, eq) : t, fail);
      if (eq >= 0) {
        if (!spec.takesValue) fail(`option ${name} takes no value`);
        value = t.slice(eq + 1);
      }
    } else if (t.length > 1 && t.startsWith('-')) {
      const long = SHORT_OPTIONS.get(t[1]!);
      if (long === undefined) fail(`unknown option ${t.slice(0, 2)}`);
      name = long;
      spec = LONG_OPTIONS.get(long)!;
      if (t.length > 2) value = t.slice(2);
    } else continue; // a positional argument: ignored, as pip does
    if (spec.takesValue && value === undefined) {
      value = tokens[++i];
      if (value === undefined) fail(`option ${name} needs a value`);
    }
    switch (spec.dest) {
      case 'requirement':
        o.requirements.push(value!);
        break;
      case 'constraint':
        o.constraints.push(value!);
        break;
      case 'editable':
        o.editables.push(value!);
        break;
      case 'hash': {
        const h = parseHashSpec(value!);
        if (h === undefined || !STRONG_HASHES.has(h.algorithm)) {
          fail(`invalid --hash "${value!.slice(0, 100)}" (expected sha256:, sha384: or sha512: and a hex digest)`);
        }
        o.hashes.push(h);
        break;
      }
      default:
        if (SOURCE_OPTIONS.has(name)) o.sources.push({ option: name, value: value! });
    }
  }
  return o;
}

/** pip's break_args_options: tokens (split on single spaces) up to the first starting with `-` are the requirement. */
export function breakArgsOptions(line: string): [string, string] {
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 45) break; // a token starting with '-'
    const sp = line.indexOf(' ', i);
    if (sp < 0) return [line, ''];
    i = sp + 1;
  }
  return [line.slice(0, Math.max(0, i - 1)), line.slice(i)];
}
