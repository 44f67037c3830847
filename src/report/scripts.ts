/**
 * Script texts in evidence (`scripts`, and `before`/`after` of a changed script: maps of hook → text;
 * the `setupPy.text` of a Python sdist build) are the payload, so they are shown in full view, and
 * once per package: a combined finding carries its part's scripts too.
 */
import type { PolicyFinding } from '../model/index.js';

const SCRIPT_KEYS = [
  ['scripts', 'Install scripts'],
  ['before', 'Install scripts before'],
  ['after', 'Install scripts after'],
] as const;

export interface ScriptBlock {
  title: string;
  /** `hook: text` lines (untrusted: render in a fenced block). */
  body: string;
}

function scriptMap(v: unknown): [string, string | null][] | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.length || !entries.every(([, t]) => typeof t === 'string' || t === null)) return null;
  return entries as [string, string | null][];
}

function blocksOf(evidence: Record<string, unknown>): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  for (const [key, title] of SCRIPT_KEYS) {
    const m = scriptMap(evidence[key]);
    if (m) out.push({ title, body: m.map(([hook, t]) => `${hook}: ${t === null ? '(none)' : t}`).join('\n') });
  }
  const setupPy = evidence['setupPy'];
  const text = setupPy && typeof setupPy === 'object' ? (setupPy as Record<string, unknown>)['text'] : undefined;
  if (typeof text === 'string' && text !== '') out.push({ title: 'setup.py', body: text });
  return out;
}

/** The distinct script blocks of these findings, in order. */
export function scriptBlocks(findings: readonly Pick<PolicyFinding, 'evidence'>[]): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  const seen = new Set<string>();
  for (const b of findings.flatMap((f) => blocksOf(f.evidence))) {
    const key = `${b.title}\u0000${b.body}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}
