/**
 * Same-publisher patch releases (issue 14's combination): a phished maintainer ships the payload as a
 * routine patch, so metadata looks clean. There, a new strong capability in shipped code is at least
 * high, and obfuscation with new network access anywhere in the package is critical.
 */
import { type Severity, severityRank } from '../model/finding.js';
import { isStrong } from './capability-findings.js';
import type { ContentFinding, ReleaseContext } from './types.js';

/** Kinds that reach a network: with new obfuscation in the same release, the clipper/stealer shape. */
const NETWORK = ['network', 'host:', 'secret-to-network', 'secret-to-host', 'recon-to-host', 'download-exec', 'remote-code'];

/** Paths that ship with a package but never run in a user's program: tests, examples, docs, benchmarks. */
const NOT_SHIPPED = /(?:^|\/)(?:tests?|__tests__|spec|specs|examples?|fixtures?|docs?|benchmarks?|bench)\//i;

export function isSamePublisherPatch(release: ReleaseContext | undefined): boolean {
  return release?.samePublisher === true && release.patch;
}

function raise(f: ContentFinding, to: Severity, why: string): ContentFinding {
  if (severityRank(f.severity) >= severityRank(to)) return f;
  return { ...f, severity: to, evidence: { ...f.evidence, kinds: [...f.evidence.kinds, why] } };
}

function fresh(kinds: readonly string[]): string[] {
  return kinds.filter((k) => !k.endsWith('(moved)'));
}

/** The findings of one package, raised when the release is a same-publisher patch; unchanged otherwise. */
export function escalateRelease(findings: readonly ContentFinding[], release: ReleaseContext | undefined): ContentFinding[] {
  if (!isSamePublisherPatch(release)) return [...findings];
  const networked = findings.some((f) => f.signal === 'new-capability' && fresh(f.evidence.kinds).some((k) => NETWORK.some((n) => k === n || k.startsWith(n))));
  return findings.map((f) => {
    if (f.signal === 'obfuscated-code' && networked && severityRank(f.severity) >= severityRank('medium'))
      return raise(f, 'critical', 'obfuscation+network in a same-publisher patch');
    if (f.signal === 'new-capability' && !NOT_SHIPPED.test(f.evidence.file) && fresh(f.evidence.kinds).some(isStrong))
      return raise(f, 'high', 'same-publisher patch');
    return f;
  });
}
