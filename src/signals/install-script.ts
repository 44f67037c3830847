/**
 * install-script-added / install-script-changed: code that runs on `npm install` appeared, or its text changed.
 * An install script that was already there (esbuild, sharp) is not news.
 */
import type { Finding, Packument, VersionMeta } from '../model/index.js';
import { comparisonByVersion, comparisonVersion, firstReleaseTime, publishedBefore, versionsBefore } from './history.js';
import { unusableTimes } from './timing.js';
import type { SignalDefinition, SignalInput } from './types.js';
import {
  DAY_MS,
  INSTALL_HOOKS,
  anyTruncated,
  finding,
  hookPhrase,
  installScriptsOf,
  iso,
  registryTarget,
  scriptsEvidence,
  spec,
  targetOf,
  truncateScript,
} from './util.js';

const ADDED = 'install-script-added';
const CHANGED = 'install-script-changed';

/** Offline: the lockfile's `hasInstallScript` flags of base and head. */
function offlineAdded(input: SignalInput): Finding[] {
  const { change } = input;
  const head = change.head;
  if (head?.flags.hasInstallScript !== true || head.flags.bundled) return [];
  const name = spec(change.name, change.to as string);
  if (head.flags.buildFlagOnly === true) return offlineBuildFlag(input);
  if (change.base) {
    if (change.base.flags.hasInstallScript === true) return [];
    return [
      finding(
        ADDED,
        'high',
        `${name} has install scripts according to the lockfile, and ${spec(change.name, change.base.version)} in the base lockfile had none.`,
        { version: change.to, baseVersion: change.base.version, source: 'lockfile hasInstallScript', scriptTextKnown: false },
      ),
    ];
  }
  return [
    finding(ADDED, 'medium', `${name} is new in this lockfile and has install scripts according to the lockfile.`, {
      version: change.to,
      baseVersion: null,
      source: 'lockfile hasInstallScript',
      scriptTextKnown: false,
      newPackage: true,
    }),
  ];
}

/**
 * Offline, pnpm's `requiresBuild` alone: pnpm writes it for packages without scripts too (platform
 * binaries), so a new package with it says nothing; only the flag appearing on a package whose base
 * entry lacked it is reported, as unconfirmed. Online the registry document decides.
 */
function offlineBuildFlag(input: SignalInput): Finding[] {
  const { change } = input;
  const base = change.base;
  if (!base || base.flags.hasInstallScript === true) return [];
  const name = spec(change.name, change.to as string);
  return [
    finding(
      ADDED,
      'medium',
      `pnpm marks ${name} requiresBuild, which ${spec(change.name, base.version)} in the base lockfile was not; pnpm also writes this flag for packages without install scripts, so whether an install script was added cannot be confirmed offline.`,
      { version: change.to, baseVersion: base.version, source: 'lockfile requiresBuild', scriptTextKnown: false, scriptConfirmed: false },
    ),
  ];
}

/**
 * Scripts present for at least this many days in the releases before the new one are established:
 * new to this lockfile (the upgrade skips over the release that introduced them) but not new in this release.
 */
export const ESTABLISHED_SCRIPT_DAYS = 30;

/** The release from which the install scripts have been present without a gap (walking back), with its publish time when known. */
function introducedIn(history: Array<{ meta: VersionMeta; time?: number }>): { meta: VersionMeta; time?: number } | undefined {
  let since: { meta: VersionMeta; time?: number } | undefined;
  for (const d of history) {
    if (!installScriptsOf(d.meta).has) break;
    since = d;
  }
  return since;
}

/**
 * The releases before the new one: by publish time when the document's times are usable, else by
 * version order (then nothing is "established": that needs times). Never the lockfile's flag.
 */
function historyOf(input: SignalInput, packument: Packument, version: string) {
  const timed = unusableTimes(packument, version, input.now, input.change.ecosystem) === undefined;
  return {
    timed,
    prev: timed ? comparisonVersion(input.change, packument) : comparisonByVersion(input.change, packument),
    before: (): Array<{ meta: VersionMeta; time?: number }> =>
      timed ? publishedBefore(packument, version) : versionsBefore(packument, version, input.change.ecosystem).map((meta) => ({ meta })),
  };
}

function runAdded(input: SignalInput): Finding[] {
  const t = targetOf(input);
  if (!t) return [];
  if (!input.packument) return offlineAdded(input);
  const rt = registryTarget(input);
  if (!rt) return [];
  const now = installScriptsOf(rt.meta);
  if (!now.has) return [];
  const name = spec(input.change.name, rt.version);
  const hooks = hookPhrase(now.textKnown ? [...now.scripts.keys()] : []);
  const history = historyOf(input, rt.packument, rt.version);
  const prev = history.prev;
  const scriptEvidence = {
    scripts: scriptsEvidence(now.scripts),
    scriptTextKnown: now.textKnown,
    scriptsTruncated: anyTruncated(now.scripts),
    implicitNodeGyp: now.implicitGyp,
  };

  if (!prev) {
    // No earlier release to compare with: the first release already runs code at install time.
    const first = history.timed ? firstReleaseTime(rt.packument) : undefined;
    const young = first !== undefined && input.now.getTime() - first < input.options.youngPackageDays * DAY_MS;
    return [
      finding(
        ADDED,
        young ? 'high' : 'medium',
        young
          ? `${name} runs ${hooks} at install time, and the package has no earlier release to compare with (first published ${iso(first as number)}).`
          : `${name} runs ${hooks} at install time, and there is no earlier release to compare it with.`,
        { version: rt.version, previousVersion: null, packageCreated: first === undefined ? null : iso(first), youngPackage: young, ...scriptEvidence },
      ),
    ];
  }
  if (installScriptsOf(prev).has) return newToLockfile(input, name, hooks, prev.version, scriptEvidence);

  // The base had none. Was the script added in this very release, or earlier than the version we move to?
  const since = introducedIn(history.before());
  const base = input.change.from !== null && prev.version === input.change.from;
  const against = base ? `the base version ${spec(input.change.name, prev.version)}` : `the previous release ${spec(input.change.name, prev.version)}`;
  if (since?.time !== undefined && input.now.getTime() - since.time >= ESTABLISHED_SCRIPT_DAYS * DAY_MS) {
    // Present in the releases just before the new one for weeks: new to this lockfile, not new in this release.
    return [
      finding(
        ADDED,
        'medium',
        `${name} runs ${hooks} at install time, which ${against} did not; the scripts have been there since ${spec(input.change.name, since.meta.version)} (${iso(since.time)}).`,
        {
          version: rt.version,
          previousVersion: prev.version,
          previousIsBase: base,
          scriptsSince: since.meta.version,
          scriptsSinceAt: iso(since.time),
          established: true,
          ...scriptEvidence,
        },
      ),
    ];
  }
  return [
    finding(
      ADDED,
      'high',
      since === undefined
        ? `${name} adds ${hooks}, run on every install; ${against} had no install scripts.`
        : `${name} runs ${hooks} at install time, which ${against} did not; they first appeared in the recent release ${spec(input.change.name, since.meta.version)}.`,
      {
        version: rt.version,
        previousVersion: prev.version,
        previousIsBase: base,
        scriptsSince: since === undefined ? rt.version : since.meta.version,
        ...scriptEvidence,
      },
    ),
  ];
}

/**
 * A package new to this lockfile whose previous release already ran install scripts: not news in
 * this release, but this repository never ran them before, so they are shown (low).
 */
function newToLockfile(input: SignalInput, name: string, hooks: string, previous: string, evidence: Record<string, unknown>): Finding[] {
  const { change } = input;
  if (change.kind !== 'added' || change.nameInBase) return [];
  return [
    finding(
      ADDED,
      'low',
      `${name} is new to this lockfile and runs ${hooks} at install time; ${spec(change.name, previous)} had install scripts too, but this repository has not run them before.`,
      // established: not this release's payload (possible-takeover does not count it)
      { version: change.to, previousVersion: previous, newToLockfile: true, established: true, ...evidence },
    ),
  ];
}

function runChanged(input: SignalInput): Finding[] {
  const rt = registryTarget(input);
  if (!rt) return [];
  const now = installScriptsOf(rt.meta);
  if (!now.has || !now.textKnown) return [];
  const prevMeta = historyOf(input, rt.packument, rt.version).prev;
  if (!prevMeta) return [];
  const prev = installScriptsOf(prevMeta);
  if (!prev.has || !prev.textKnown) return [];

  // keyed by the fixed hook names only
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  const changed: string[] = [];
  for (const hook of INSTALL_HOOKS) {
    const a = prev.scripts.get(hook);
    const b = now.scripts.get(hook);
    if (a === b) continue;
    changed.push(hook);
    before[hook] = a === undefined ? null : truncateScript(a);
    after[hook] = b === undefined ? null : truncateScript(b);
  }
  if (changed.length === 0) return [];
  return [
    finding(
      CHANGED,
      'medium',
      `${spec(input.change.name, rt.version)} changes its install-time ${hookPhrase(changed).replace(/^a /, '')} compared with ${spec(input.change.name, prevMeta.version)}.`,
      {
        version: rt.version,
        previousVersion: prevMeta.version,
        changedHooks: changed,
        before,
        after,
        scriptsTruncated: anyTruncated(now.scripts) || anyTruncated(prev.scripts),
      },
    ),
  ];
}

export const installScriptAdded: SignalDefinition = {
  id: ADDED,
  defaultSeverity: 'high',
  description:
    'The new version runs preinstall/install/postinstall (or node-gyp) and the version before it did not; a package new to the lockfile with install scripts is at least low.',
  offline: true,
  needs: ['packument'],
  run: runAdded,
};

export const installScriptChanged: SignalDefinition = {
  id: CHANGED,
  defaultSeverity: 'medium',
  description: 'Both versions have install scripts and their text differs (before/after shown).',
  offline: false,
  needs: ['packument'],
  run: runChanged,
};
