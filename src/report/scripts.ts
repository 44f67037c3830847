/**
 * Script texts in evidence (`scripts`, and `before`/`after` of a changed script: maps of hook → text)
 * are the payload, so they are shown in full view, and once per package: a combined finding carries
 * its part's scripts too.
 */
import type { PolicyFinding } from '../policy/index.js';

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

/** The distinct script blocks of these findings, in order. */
export function scriptBlocks(findings: readonly Pick<PolicyFinding, 'evidence'>[]): ScriptBlock[] {
  const out: ScriptBlock[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    for (const [key, title] of SCRIPT_KEYS) {
      const m = scriptMap(f.evidence[key]);
      if (!m) continue;
      const body = m.map(([hook, t]) => `${hook}: ${t === null ? '(none)' : t}`).join('\n');
      if (seen.has(`${title}\u0000${body}`)) continue;
      seen.add(`${title}\u0000${body}`);
      out.push({ title, body });
    }
  }
  return out;
}
