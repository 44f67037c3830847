/** What the escalation rules share: raising a finding (saying why), and reading its kinds that are new to the package. */
import { type Severity, severityRank } from '../model/finding.js';
import type { ContentFinding } from './types.js';

/** The finding at `to` at least, with `why` among its kinds; unchanged when already as severe. */
export function raise(f: ContentFinding, to: Severity, why: string): ContentFinding {
  if (severityRank(f.severity) >= severityRank(to)) return f;
  return { ...f, severity: to, evidence: { ...f.evidence, kinds: [...f.evidence.kinds, why] } };
}

/** The kinds the package did not have before (a kind moved from another file is marked `(moved)`). */
export function freshKinds(f: ContentFinding): string[] {
  return f.evidence.kinds.filter((k) => !k.endsWith('(moved)'));
}

/** A fresh kind equal to, or starting with, one of `prefixes` (`host:` matches every host). */
export function hasKind(f: ContentFinding, prefixes: readonly string[]): boolean {
  return freshKinds(f).some((k) => prefixes.some((p) => k === p || k.startsWith(p)));
}
