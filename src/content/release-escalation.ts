/**
 * Same-publisher patch releases (issue 14's combination): a phished maintainer ships the payload as a
 * routine patch, so metadata looks clean. There, a new strong capability in shipped code is at least
 * high, and obfuscation with new network access anywhere in the package is critical.
 */
import { severityRank } from '../model/finding.js';
import { isStrong } from './capability-findings.js';
import { freshKinds, hasKind, raise } from './raise.js';
import type { ContentFinding, ReleaseContext } from './types.js';

/** Kinds that reach a network: with new obfuscation in the same release, the clipper/stealer shape. */
const NETWORK = ['network', 'host:', 'secret-to-network', 'secret-to-host', 'recon-to-host', 'download-exec', 'remote-code'];

/** Paths that ship with a package but never run in a user's program: tests, examples, docs, benchmarks. */
const NOT_SHIPPED = /(?:^|\/)(?:tests?|__tests__|spec|specs|examples?|fixtures?|docs?|benchmarks?|bench)\//i;

export function isSamePublisherPatch(release: ReleaseContext | undefined): boolean {
  return release?.samePublisher === true && release.patch;
}

/** The findings of one package, raised when the release is a same-publisher patch; unchanged otherwise. */
export function escalateRelease(findings: readonly ContentFinding[], release: ReleaseContext | undefined): ContentFinding[] {
  if (!isSamePublisherPatch(release)) return [...findings];
  const networked = findings.some((f) => f.signal === 'new-capability' && hasKind(f, NETWORK));
  return findings.map((f) => {
    if (f.signal === 'obfuscated-code' && networked && severityRank(f.severity) >= severityRank('medium'))
      return raise(f, 'critical', 'obfuscation+network in a same-publisher patch');
    if (f.signal === 'new-capability' && !NOT_SHIPPED.test(f.evidence.file) && freshKinds(f).some(isStrong)) return raise(f, 'high', 'same-publisher patch');
    return f;
  });
}
