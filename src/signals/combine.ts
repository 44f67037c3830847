/**
 * possible-takeover: one verdict per change that combines account-takeover evidence. It fires when an
 * identity indicator ({@link IDENTITY_INDICATORS}) co-occurs with a payload/timing one
 * ({@link PAYLOAD_INDICATORS}, or dependencies the previous release lacked): high, or critical when
 * three or more line up (a token publish replacing trusted publishing counts two: with an added
 * dependency, as in axios 1.14.1, that is three).
 */
import type { Finding } from '../model/index.js';
import { dormantRevival } from './dormant-revival.js';
import { previousInLineOrTime } from './history.js';
import { installScriptAdded, installScriptChanged } from './install-script.js';
import { provenanceSourceChanged } from './provenance-source-changed.js';
import { pthFileAdded } from './pth-file-added.js';
import { publisherChanged } from './publisher-changed.js';
import { releaseTooNew } from './release-too-new.js';
import { trustDowngrade } from './trust-downgrade.js';
import { youngPackage } from './young-package.js';
import type { SignalDefinition, SignalId, SignalInput } from './types.js';
import { clean, dependencyNames, finding, joinList, registryTarget, spec } from './util.js';

const ID = 'possible-takeover';

export const IDENTITY_INDICATORS: readonly SignalId[] = ['publisher-changed', 'trust-downgrade', 'provenance-source-changed'];
export const PAYLOAD_INDICATORS: readonly SignalId[] = [
  'install-script-added',
  'install-script-changed',
  'pth-file-added',
  'dormant-revival',
  'release-too-new',
];
/** The pseudo-indicator for dependencies that the previous release did not have. */
export const ADDED_DEPENDENCIES = 'added-dependencies';

/** Dependencies of the new version that the previous release (same line, else in time) did not declare. */
export function addedDependencies(input: SignalInput): { previousVersion: string; added: string[] } | null {
  const rt = registryTarget(input);
  if (!rt) return null;
  const prev = previousInLineOrTime(rt.packument, rt.version);
  if (!prev) return null;
  const before = new Set(dependencyNames(prev.meta));
  const added = dependencyNames(rt.meta)
    .filter((n) => !before.has(n))
    .sort();
  return { previousVersion: prev.meta.version, added };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** How an identity indicator reads after "it was …". */
function describeIdentity(f: Finding, name: string): string {
  const e = f.evidence;
  switch (f.signal) {
    case 'publisher-changed': {
      const who = clean(str(e['publisher']) ?? 'another account', 60);
      return (e['reasons'] as unknown[] | undefined)?.includes('left-trusted-publishing')
        ? `published by the account ${who} instead of through trusted publishing`
        : `published by ${who}, who did not publish the recent releases`;
    }
    case 'trust-downgrade': {
      const b = str(e['baselineVersion']);
      return `published with less trust than ${b ? spec(name, b) : 'an earlier release'} (${str(e['level']) ?? 'none'} instead of ${str(e['baselineLevel']) ?? 'provenance'})`;
    }
    case 'provenance-source-changed': {
      const b = str(e['baselineVersion']);
      return `built from another ${joinList((e['changed'] as string[] | undefined) ?? ['repository or workflow'])} than ${b ? spec(name, b) : 'the earlier release'}`;
    }
    default:
      return f.signal;
  }
}

/** How a payload or timing indicator reads after "it …". */
function describePayload(f: Finding): string {
  const e = f.evidence;
  switch (f.signal) {
    case 'install-script-added':
      return 'adds an install script';
    case 'install-script-changed':
      return 'changes its install script';
    case 'pth-file-added':
      return `adds a start-up hook (${clean(String((e['files'] as unknown[] | undefined)?.[0] ?? '.pth file'), 80)})`;
    case 'dormant-revival':
      return e['revivalVersion'] !== undefined && e['revivalVersion'] !== e['version']
        ? `follows the package's revival (${clean(String(e['revivalVersion']), 40)}) after ${typeof e['gapDays'] === 'number' ? e['gapDays'] : 'many'} days without a release`
        : `comes after ${typeof e['gapDays'] === 'number' ? e['gapDays'] : 'many'} days without a release`;
    case 'release-too-new':
      return `is only ${typeof e['ageHours'] === 'number' ? e['ageHours'] : 'a few'} hours old`;
    default:
      return f.signal;
  }
}

/** Adds the possible-takeover verdict for the findings of one change (returns [] or one finding). */
export function combine(input: SignalInput, findings: readonly Finding[]): Finding[] {
  const bySignal = new Map<string, Finding>();
  for (const f of findings) if (!bySignal.has(f.signal)) bySignal.set(f.signal, f);

  const identity = IDENTITY_INDICATORS.map((id) => bySignal.get(id)).filter((f): f is Finding => f !== undefined);
  if (identity.length === 0) return [];
  const payload = PAYLOAD_INDICATORS.map((id) => bySignal.get(id)).filter(
    // scripts that have been there for weeks before this release are not this release's payload
    (f): f is Finding => f !== undefined && f.evidence['established'] !== true,
  );
  const deps = addedDependencies(input);
  const addedDeps = deps && deps.added.length > 0 ? deps : null;
  const payloadCount = payload.length + (addedDeps ? 1 : 0);
  if (payloadCount === 0) return [];

  const total = identity.length + payloadCount;
  const severity = total >= 3 ? 'critical' : 'high';
  const indicators: string[] = [...identity.map((f) => f.signal), ...payload.map((f) => f.signal), ...(addedDeps ? [ADDED_DEPENDENCIES] : [])];
  const payloadText = payload.map(describePayload);
  if (addedDeps) {
    const shown = addedDeps.added.slice(0, 5).map((n) => clean(n, 80));
    const list = addedDeps.added.length > 5 ? `${shown.join(', ')} and ${addedDeps.added.length - 5} more` : joinList(shown);
    payloadText.push(`adds the ${addedDeps.added.length === 1 ? 'dependency' : 'dependencies'} ${list}`);
  }
  const version = input.change.to as string;
  const name = input.change.name;
  return [
    finding(
      ID,
      severity,
      `${spec(name, version)} may come from a taken-over account: it was ${joinList(identity.map((f) => describeIdentity(f, name)))}, and it ${joinList(payloadText)}.`,
      {
        version,
        indicators,
        identityIndicators: identity.map((f) => f.signal),
        payloadIndicators: [...payload.map((f) => f.signal), ...(addedDeps ? [ADDED_DEPENDENCIES] : [])],
        addedDependencies: addedDeps ? addedDeps.added : [],
        dependenciesComparedWith: deps ? deps.previousVersion : null,
        publisher: bySignal.get('publisher-changed')?.evidence['publisher'] ?? null,
      },
    ),
  ];
}

/**
 * suspicious-new-package: a package new to the lockfile, itself only days old, that runs an install
 * script: the dropper pattern of flatmap-stream-like helpers and plain-crypto-js (critical).
 */
export function suspiciousNewPackage(input: SignalInput, findings: readonly Finding[]): Finding[] {
  if (input.change.nameInBase) return [];
  const young = findings.find((f) => f.signal === 'young-package');
  const script = findings.find((f) => f.signal === 'install-script-added');
  const hook = findings.find((f) => f.signal === 'pth-file-added');
  if (!young || (!script && !hook)) return [];
  const version = input.change.to as string;
  const via = input.change.via.length ? ` pulled in through ${input.change.via.map((v) => clean(v, 80)).join(' > ')}` : '';
  return [
    finding(
      SUSPICIOUS_ID,
      'critical',
      `${spec(input.change.name, version)} is a brand-new dependency${via}: the package is ${young.evidence['ageDays']} days old and ${script ? 'runs an install script on every install' : 'installs a start-up hook that Python runs at every interpreter start'}.`,
      {
        version,
        created: young.evidence['created'] ?? null,
        ageDays: young.evidence['ageDays'] ?? null,
        scripts: script?.evidence['scripts'] ?? null,
        ...(hook ? { startupHooks: hook.evidence['files'] ?? null } : {}),
        via: input.change.via,
      },
    ),
  ];
}

const SUSPICIOUS_ID = 'suspicious-new-package';
const SUSPICIOUS_INPUTS: readonly SignalDefinition[] = [youngPackage, installScriptAdded, pthFileAdded];

export const suspiciousNewPackageSignal: SignalDefinition = {
  id: SUSPICIOUS_ID,
  defaultSeverity: 'critical',
  description:
    'A package new to the lockfile, younger than youngPackageDays, that runs an install script or (Python) installs a start-up hook (the dropper pattern).',
  offline: false,
  needs: ['packument'],
  combines: SUSPICIOUS_INPUTS,
  run(input: SignalInput): Finding[] {
    if (!input.packument) return [];
    return suspiciousNewPackage(
      input,
      SUSPICIOUS_INPUTS.flatMap((s) => s.run(input)),
    );
  },
};

const INDICATOR_SIGNALS: readonly SignalDefinition[] = [
  publisherChanged,
  trustDowngrade,
  provenanceSourceChanged,
  installScriptAdded,
  installScriptChanged,
  pthFileAdded,
  dormantRevival,
  releaseTooNew,
];

export const possibleTakeover: SignalDefinition = {
  id: ID,
  defaultSeverity: 'high',
  description: 'A publisher/provenance change together with an install script, new dependency, revival or hours-old release (critical with 3+ indicators).',
  offline: false,
  needs: ['packument'],
  combines: INDICATOR_SIGNALS,
  run(input: SignalInput): Finding[] {
    if (!input.packument) return [];
    return combine(
      input,
      INDICATOR_SIGNALS.flatMap((s) => s.run(input)),
    );
  },
};
