/**
 * manifest-mismatch: the new version's tarball package.json disagrees with the registry document
 * (install scripts, bin, name/version: high; dependencies: medium). npm runs what the tarball says.
 */
import type { Finding } from '../model/index.js';
import { compareManifest, tarballManifest } from './manifest-compare.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { finding, spec } from './util.js';

const ID = 'manifest-mismatch';

const WHAT = {
  name: 'its name or version',
  version: 'its version',
  scripts: 'its install scripts (npm runs the tarball’s)',
  bin: 'its bin commands',
  dependencies: 'its dependencies',
} as const;

function run(input: SignalInput): Finding[] {
  const { change, packument, contents } = input;
  const version = change.to;
  if (change.ecosystem !== 'npm' || version === null || !packument || !contents) return [];
  const archive = contents.get(version);
  const meta = packument.versions.get(version);
  if (!archive || !meta) return [];
  const who = spec(change.name, version);
  const pkg = tarballManifest(archive);
  if (typeof pkg === 'string') {
    return [finding(ID, 'medium', `${who}: the tarball's manifest cannot be compared with the registry document: ${pkg}.`, { version, problem: pkg })];
  }
  return compareManifest(meta, version, pkg, archive).map((d) =>
    finding(ID, d.severity, `${who}: the tarball's package.json differs from the registry document in ${WHAT[d.field]}: ${d.details.slice(0, 3).join('; ')}.`, {
      version,
      field: d.field,
      differences: d.details,
      integrity: archive.integrity,
    }),
  );
}

export const manifestMismatch: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description: "The new version's tarball package.json differs from the registry document (scripts, bin, dependencies, name) — manifest confusion.",
  offline: false,
  needs: ['packument', 'contents'],
  run,
};
