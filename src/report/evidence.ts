/**
 * A finding's evidence in words, for people: one renderer per signal id, a generic fallback that
 * leaves out internal fields. The JSON report keeps every field; this is only what a reviewer reads.
 */
import type { PolicyFinding } from '../model/index.js';
import { advisoryEvidence } from './advisory-evidence.js';

/** How untrusted values are shown: a code span in Markdown, cleaned text in the terminal. */
export interface EvidenceFormat {
  value: (s: string) => string;
}

type Evidence = Record<string, unknown>;
type Renderer = (e: Evidence, f: EvidenceFormat) => string[];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const objects = (v: unknown): Evidence[] => (Array.isArray(v) ? v.filter((x): x is Evidence => typeof x === 'object' && x !== null && !Array.isArray(x)) : []);

/** `2026-03-30 05:57 UTC` for an ISO time; anything else is shown as the untrusted value it is. */
export function when(v: unknown, f: EvidenceFormat): string {
  const s = str(v);
  if (!s) return 'an unknown time';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s);
  return m ? `${m[1]} ${m[2]} UTC` : f.value(s);
}

function list(vs: readonly string[], f: EvidenceFormat, max = 10): string {
  const shown = vs.slice(0, max).map(f.value).join(', ');
  return vs.length > max ? `${shown} and ${vs.length - max} more` : shown;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

const PUBLISHER_REASONS: Record<string, string> = {
  'new-account': 'an account that did not publish the recent releases',
  'left-trusted-publishing': 'a personal account instead of trusted publishing',
};

function publisherChanged(e: Evidence, f: EvidenceFormat): string[] {
  const out: string[] = [];
  const who = str(e['publisher']);
  const before = str(e['previousPublisher']);
  // the arrow only when the previous release had someone else (event-stream 3.3.5 was the new account's too)
  const from = before && before !== who ? `${f.value(before)} (${f.value(str(e['previousVersion']) ?? '?')}) → ` : '';
  if (who) out.push(`publisher ${from}${f.value(who)}`);
  const reasons = strings(e['reasons']).map((r) => PUBLISHER_REASONS[r] ?? f.value(r));
  if (reasons.length) out[0] = `${out[0] ?? 'publisher changed'}: ${reasons.join('; ')}`;
  const prev = objects(e['previousPublishers']);
  const window = num(e['window']);
  const names = prev.flatMap((p) =>
    str(p['name']) ? [`${f.value(str(p['name'])!)} (${num(p['versionsInWindow']) ?? 0}${p['trustedPublisher'] === true ? ', trusted publishing' : ''})`] : [],
  );
  if (names.length) out.push(`the last ${window ?? 'few'} releases were published by ${names.slice(0, 5).join(', ')}`);
  const since = objects(e['publisherReleasesSinceBase']);
  if (since.length)
    out.push(
      `also published since the base version: ${since
        .slice(0, 5)
        .map((r) => `${f.value(str(r['version']) ?? '?')} (${when(r['publishedAt'], f)})`)
        .join(', ')}`,
    );
  return out;
}

function trustDowngrade(e: Evidence, f: EvidenceFormat): string[] {
  const by = (p: unknown) => (str(p) ? `, by ${f.value(str(p)!)}` : '');
  const base = `${f.value(str(e['baselineLevel']) ?? '?')} in ${f.value(str(e['baselineVersion']) ?? '?')} (${when(e['baselinePublishedAt'], f)}${by(e['baselinePublisher'])})`;
  const out = [
    `trust ${base} → ${f.value(str(e['level']) ?? '?')} in ${f.value(str(e['version']) ?? '?')}${str(e['publisher']) ? ` (${by(e['publisher']).slice(2)})` : ''}`,
  ];
  const weaker = Array.isArray(e['weakerReleasesSinceBaseline']) ? (e['weakerReleasesSinceBaseline'] as unknown[]) : [];
  const versions = weaker.map((w) => (typeof w === 'string' ? w : (str((w as Evidence | null)?.['version']) ?? '?')));
  if (versions.length) out.push(`weaker releases since then: ${list(versions, f, 5)}`);
  return out;
}

function youngPackage(e: Evidence, f: EvidenceFormat): string[] {
  const count = num(e['versionCount']);
  return [
    `first published ${when(e['created'], f)}${count !== undefined ? `, ${plural(count, 'version')} so far` : ''}; this release ${when(e['publishedAt'], f)}`,
  ];
}

function dormantRevival(e: Evidence, f: EvidenceFormat): string[] {
  const prev = `${f.value(str(e['previousVersion']) ?? '?')} (${when(e['previousPublishedAt'], f)})`;
  const revival = `${f.value(str(e['revivalVersion']) ?? '?')} (${when(e['revivalPublishedAt'], f)})`;
  return [`releases ${prev} → ${revival}: ${num(e['gapDays']) ?? '?'} days without a release`];
}

/** `sha512-AbCd…WxYz`: enough to compare by eye, short enough for one line. */
function shortHash(v: unknown, f: EvidenceFormat): string {
  const s = str(v);
  if (!s) return 'none';
  return f.value(s.length > 28 ? `${s.slice(0, 16)}…${s.slice(-8)}` : s);
}

function integrityMismatch(e: Evidence, f: EvidenceFormat): string[] {
  if (Array.isArray(e['foreignHashes'])) {
    const foreign = objects(e['foreignHashes']);
    return foreign
      .slice(0, 5)
      .map((h) => `${str(h['file']) ? `${f.value(str(h['file'])!)}: ` : ''}lockfile ${shortHash(h['digest'], f)}, index ${shortHash(h['indexDigest'], f)}`);
  }
  const out = [`registry ${shortHash(e['registryIntegrity'] ?? e['registryShasum'], f)}, lockfile ${shortHash(e['lockfileIntegrity'], f)}`];
  if (e['weakAlgorithmOnly'] === true) out.push('the lockfile records only a sha1 hash, which vouches for little');
  return out;
}

function installScript(e: Evidence, f: EvidenceFormat): string[] {
  const out: string[] = [];
  const since = str(e['scriptsSince']);
  if (since && since !== e['version']) out.push(`install scripts present since ${f.value(since)}`);
  if (e['scriptTextKnown'] === false) out.push('the registry document does not give the script text');
  if (e['implicitNodeGyp'] === true) out.push('runs a node-gyp build (a binding.gyp without an explicit install script)');
  return out;
}

function pthFileAdded(e: Evidence, f: EvidenceFormat): string[] {
  const files = strings(e['files']);
  const base = strings(e['baseHooks']);
  const wheel = str(e['wheel']);
  const out = [`start-up hook${files.length === 1 ? '' : 's'} ${list(files, f)}${wheel ? ` in ${f.value(wheel)}` : ''}`];
  if (base.length) out.push(`${f.value(str(e['baseVersion']) ?? 'the base version')} had ${list(base, f)}`);
  return out;
}

/** A Python sdist build: which file, which backend and requirements, against the base version's. */
function installHookChanged(e: Evidence, f: EvidenceFormat): string[] {
  const out: string[] = [];
  const sdist = str(e['sdist']);
  if (sdist) out.push(`builds ${f.value(sdist)}${str(e['baseSdist']) ? ` (was ${f.value(str(e['baseSdist'])!)})` : ''}`);
  const backend = str(e['buildBackend']);
  const was = str(e['baseBuildBackend']);
  if (backend) out.push(`build backend ${was && was !== backend ? `${f.value(was)} → ` : ''}${f.value(backend)}`);
  const requires = strings(e['requires']);
  if (requires.length) out.push(`build requires ${list(requires, f)}`);
  const lost = strings(e['lostPlatforms']);
  if (lost.length) out.push(`no wheel any more for ${list(lost, f)}`);
  if (str(e['buildSystemError'])) out.push(`build system unreadable: ${f.value(str(e['buildSystemError'])!)}`);
  return out;
}

function maintainersChanged(e: Evidence, f: EvidenceFormat): string[] {
  const added = strings(e['added']);
  const removed = strings(e['removed']);
  return [...(added.length ? [`added: ${list(added, f)}`] : []), ...(removed.length ? [`removed: ${list(removed, f)}`] : [])];
}

function possibleTakeover(e: Evidence, f: EvidenceFormat): string[] {
  const added = strings(e['addedDependencies']);
  const base = str(e['dependenciesComparedWith']);
  return added.length > 0 ? [`dependencies not in ${base ? f.value(base) : 'the previous release'}: ${list(added, f, 20)}`] : [];
}

/** A content finding: where in which file, how its size changed, what was found, against which version. */
function contentEvidence(e: Evidence, f: EvidenceFormat): string[] {
  const file = str(e['file']);
  if (!file) return [];
  const lines = Array.isArray(e['lines']) ? (e['lines'] as unknown[]).filter((n): n is number => typeof n === 'number' && n > 0) : [];
  const where = lines.length === 2 ? (lines[0] === lines[1] ? ` line ${lines[0]}` : ` lines ${lines[0]}–${lines[1]}`) : '';
  const parts = [`${f.value(file)}${where}`];
  if (typeof e['bytesBefore'] === 'number' && typeof e['bytesAfter'] === 'number') parts.push(`${e['bytesBefore']} → ${e['bytesAfter']} bytes`);
  const kinds = strings(e['kinds']);
  if (kinds.length) parts.push(`found ${list(kinds, f)}`);
  const base = str(e['comparedWith']);
  parts.push(base ? `compared with ${f.value(base)}` : 'no earlier version to compare with');
  return [parts.join(' · ')];
}

const nothing: Renderer = () => [];

/**
 * Renderers by signal id. Signals whose message already says everything (release age, new or
 * downgraded dependency) render nothing; script texts are shown apart, once per package (./scripts.ts).
 */
const RENDERERS: Record<string, Renderer> = {
  'publisher-changed': publisherChanged,
  'trust-downgrade': trustDowngrade,
  'young-package': youngPackage,
  'dormant-revival': dormantRevival,
  'integrity-mismatch': integrityMismatch,
  'install-script-added': installScript,
  'install-script-changed': installScript,
  'maintainers-changed': maintainersChanged,
  'pth-file-added': pthFileAdded,
  'install-hook-changed': installHookChanged,
  'possible-takeover': possibleTakeover,
  // a combination: its parts are listed by name and keep their own evidence
  'suspicious-new-package': nothing,
  'release-too-new': nothing,
  'new-dependency': nothing,
  downgrade: nothing,
  'known-malicious': advisoryEvidence,
  'known-vulnerability': advisoryEvidence,
  'obfuscated-code': contentEvidence,
  'new-capability': contentEvidence,
  'new-executable': contentEvidence,
  'install-script-payload': contentEvidence,
};

/** Fields that only make sense to the code (thresholds, flags, bookkeeping) or are shown elsewhere. */
const INTERNAL = new Set([
  'version',
  'via',
  'direct',
  'directOf',
  'scripts',
  'before',
  'after',
  'thresholdDays',
  'minimumAgeHours',
  'lookback',
  'window',
  'unknownInWindow',
  'nameInBase',
  'freshRelease',
  'established',
  'newToLockfile',
  'changes',
  // content findings: the excerpt is shown as a block (./scripts.ts)
  'excerpt',
]);

/** `knownVersions` → `known versions`. */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** Strings, numbers and lists of them, under their names in words; flags, objects and internal fields left out. */
function generic(e: Evidence, f: EvidenceFormat): string[] {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (INTERNAL.has(k) || v === null || v === undefined) continue;
    if (typeof v === 'string' && v !== '') parts.push(`${words(k)} ${/^\d{4}-\d{2}-\d{2}T/.test(v) ? when(v, f) : f.value(v)}`);
    else if (typeof v === 'number') parts.push(`${words(k)} ${f.value(String(v))}`);
    else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      parts.push(`${words(k)} ${list(v.map(String), f)}`);
  }
  return parts.length ? [parts.join(' · ')] : [];
}

/** The finding's evidence as short lines in words (untrusted values through `f.value`); empty when the message says it all. */
export function evidenceLines(finding: Pick<PolicyFinding, 'signal' | 'evidence'>, f: EvidenceFormat): string[] {
  return (RENDERERS[finding.signal] ?? generic)(finding.evidence, f);
}
