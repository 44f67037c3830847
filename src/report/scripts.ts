/**
 * Script texts in evidence (`scripts`, and `before`/`after` of a changed script: maps of hook → text;
 * the `setupPy.text` of a Python sdist build; a content finding's `excerpt` of the file it names) are
 * the payload, so they are shown in full view, and once per package: a combined finding carries its part's scripts too.
 */
import { severityRank, type PolicyFinding } from '../model/index.js';

const SCRIPT_KEYS = [
  ['scripts', 'Install scripts'],
  ['before', 'Install scripts before'],
  ['after', 'Install scripts after'],
] as const;

export interface ScriptBlock {
  title: string;
  /** `hook: text` lines (untrusted: render in a fenced block). */
  body: string;
  /**
   * False for the excerpt of a content finding below high (or accepted): the Markdown comment keeps it
   * collapsed so that one screen still shows every verdict; scripts are always in view.
   */
  inView: boolean;
}

function scriptMap(v: unknown): [string, string | null][] | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.length || !entries.every(([, t]) => typeof t === 'string' || t === null)) return null;
  return entries as [string, string | null][];
}

/** ` lines 3–9` from a content finding's `[from, to]` (nothing for a binary's `[0, 0]`). */
function linesOf(v: unknown): string {
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number' || v[0] < 1) return '';
  return v[0] === v[1] ? ` line ${v[0]}` : ` lines ${v[0]}–${v[1]}`;
}

function blocksOf({ evidence, severity, allowed }: Pick<PolicyFinding, 'evidence' | 'severity' | 'allowed'>): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  for (const [key, title] of SCRIPT_KEYS) {
    const m = scriptMap(evidence[key]);
    if (m) out.push({ title, body: m.map(([hook, t]) => `${hook}: ${t === null ? '(none)' : t}`).join('\n'), inView: true });
  }
  const setupPy = evidence['setupPy'];
  const text = setupPy && typeof setupPy === 'object' ? (setupPy as Record<string, unknown>)['text'] : undefined;
  if (typeof text === 'string' && text !== '') out.push({ title: 'setup.py', body: text, inView: true });
  const excerpt = evidence['excerpt'];
  const file = evidence['file'];
  if (typeof excerpt === 'string' && excerpt !== '' && typeof file === 'string')
    out.push({ title: `${file}${linesOf(evidence['lines'])}`, body: excerpt, inView: !allowed && severityRank(severity) >= severityRank('high') });
  return out;
}

/** The distinct script blocks of these findings, in order. */
export function scriptBlocks(findings: readonly Pick<PolicyFinding, 'evidence' | 'severity' | 'allowed'>[]): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  const seen = new Set<string>();
  for (const b of findings.flatMap(blocksOf)) {
    const key = `${b.title}\u0000${b.body}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}
