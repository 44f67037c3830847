/**
 * provenance-source-changed: the provenance statement of the new version names a different source
 * repository or workflow file than the statement of the baseline release (a publish from a fork or
 * from another workflow).
 */
import type { Change, Finding, Packument, ProvenanceSource } from '../model/index.js';
import { publishedBefore, type Dated } from './history.js';
import { hasProvenance } from './trust-downgrade.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { alreadyInBase, clean, finding, isReviewable, iso, registryTarget, spec } from './util.js';

const ID = 'provenance-source-changed';

/**
 * The release whose provenance the new version is compared with: the latest earlier release (in time)
 * of the same line that has provenance, else the latest earlier release of any line that has it.
 */
export function provenanceBaseline(packument: Packument, version: string): Dated | undefined {
  const inLine = publishedBefore(packument, version, { sameLine: true }).find((d) => hasProvenance(d.meta));
  return inLine ?? publishedBefore(packument, version).find((d) => hasProvenance(d.meta));
}

/**
 * The versions whose provenance statements the engine must fetch: the new version and its baseline,
 * only when both have `dist.attestations.provenance` (otherwise none, so no extra requests).
 */
export function provenanceVersionsNeeded(change: Change, packument: Packument): string[] {
  if (!isReviewable(change) || alreadyInBase(change)) return [];
  const version = change.to as string;
  const meta = packument.versions.get(version);
  if (!meta || !hasProvenance(meta)) return [];
  const baseline = provenanceBaseline(packument, version);
  if (!baseline) return [];
  return [version, baseline.meta.version];
}

/** `git+https://github.com/Owner/Repo.git` and `https://github.com/owner/repo` compare equal. */
export function normalizeRepository(url: string): string {
  let u = url.trim();
  u = u.replace(/^git\+/i, '');
  u = u.replace(/^git@([^:/]+):/i, 'https://$1/');
  u = u.replace(/^(ssh|git):\/\/(?:[^@/]+@)?/i, 'https://');
  u = u.replace(/^http:\/\//i, 'https://');
  u = u.replace(/[?#].*$/, '');
  u = u.replace(/\/+$/, '');
  u = u.replace(/\.git$/i, '');
  return u.toLowerCase();
}

/** `./.github/workflows/release.yml@refs/tags/v1` → `.github/workflows/release.yml`. */
export function normalizeWorkflow(path: string): string {
  let p = path.trim();
  const at = p.indexOf('@');
  if (at >= 0) p = p.slice(0, at);
  p = p.replace(/^\.\/+/, '').replace(/^\/+/, '');
  return p;
}

function run(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt || !hasProvenance(rt.meta)) return [];
  const baseline = provenanceBaseline(rt.packument, rt.version);
  if (!baseline) return [];
  const now: ProvenanceSource | null | undefined = input.provenance.get(rt.version);
  const before: ProvenanceSource | null | undefined = input.provenance.get(baseline.meta.version);
  if (!now || !before) return []; // statements unavailable: the engine reports that as incomplete

  const changed: string[] = [];
  if (now.repository && before.repository && normalizeRepository(now.repository) !== normalizeRepository(before.repository)) {
    changed.push('repository');
  }
  if (now.workflow && before.workflow && normalizeWorkflow(now.workflow) !== normalizeWorkflow(before.workflow)) {
    changed.push('workflow');
  }
  if (changed.length === 0) return [];

  const what =
    changed.length === 2
      ? `repository ${clean(now.repository as string)} and workflow ${clean(now.workflow as string)}`
      : changed[0] === 'repository'
        ? `repository ${clean(now.repository as string)}`
        : `workflow ${clean(now.workflow as string)}`;
  const was =
    changed.length === 2
      ? `${clean(before.repository as string)} and ${clean(before.workflow as string)}`
      : changed[0] === 'repository'
        ? clean(before.repository as string)
        : clean(before.workflow as string);
  return [
    finding(
      ID,
      'high',
      `${spec(input.change.name, rt.version)} was built from ${what} according to its provenance, but ${spec(input.change.name, baseline.meta.version)} was built from ${was}.`,
      {
        version: rt.version,
        baselineVersion: baseline.meta.version,
        baselinePublishedAt: iso(baseline.time),
        changed,
        repository: now.repository ?? null,
        workflow: now.workflow ?? null,
        ref: now.ref ?? null,
        baselineRepository: before.repository ?? null,
        baselineWorkflow: before.workflow ?? null,
        baselineRef: before.ref ?? null,
      },
    ),
  ];
}

export const provenanceSourceChanged: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description: "The provenance names another source repository or workflow than the baseline release's.",
  offline: false,
  needs: ['packument', 'attestations'],
  run,
};
