/**
 * non-registry-source: the head lockfile installs the package from git, a tarball URL or a file
 * where the base had it from the registry (or it is new with such a source), or from a registry-shaped
 * URL on another host than the registry's. The URL is data: it is shown, never fetched.
 */
import type { Finding, SourceType } from '../model/index.js';
import type { SignalDefinition, SignalInput } from './types.js';
import { foreignSource, originOf, withoutCredentials } from './registry-origin.js';
import { clean, finding, isReviewable, spec } from './util.js';

const ID = 'non-registry-source';
const FLAGGED: ReadonlySet<SourceType> = new Set<SourceType>(['git', 'tarball', 'url', 'file']);

function run(input: SignalInput): Finding[] {
  const { change } = input;
  if (!isReviewable(change)) return [];
  const head = change.head;
  if (!head || head.flags.bundled) return [];
  const type = head.source.type;
  if (type === 'registry') return foreignHost(input);
  if (!FLAGGED.has(type)) return [];
  const base = change.base;
  if (base && type === 'git' && base.source.type === 'git' && change.from === change.to) return gitMoved(input);
  if (base && base.source.type !== 'registry') return []; // already from git/tarball/file (or linked) in base
  const url = head.source.url;
  const remoteTarball = (type === 'tarball' || type === 'url') && typeof url === 'string' && /^https?:\/\//i.test(url.trim());
  const python = change.ecosystem === 'pypi';
  // A registry package that starts pulling code from git or a URL: nobody in this repository chose that source.
  const transitive = !python && !change.direct && (type === 'git' || type === 'tarball');
  const severity = remoteTarball || transitive ? 'high' : 'medium';
  const name = spec(change.name, change.to as string);
  const shown = url !== undefined && originOf(url) !== undefined ? withoutCredentials(url) : url;
  const where = shown ? ` (${clean(shown, 300)})` : '';
  const was = base ? `, where the base lockfile had ${spec(change.name, base.version)} from the registry` : '';
  let message: string;
  if (type === 'git' && python) {
    message = `${name} is installed from a git repository${where}${was}; it is built from source at install time (running its build backend) and bypasses the index's hashes and provenance.`;
  } else if (type === 'git') {
    message = `${name} is installed from a git repository${where}${was}; git dependencies run their prepare script at install time and bypass the registry's integrity and provenance.`;
  } else if (type === 'url') {
    message = `${name} is installed from a URL outside the package index${where}${was}.`;
  } else if (type === 'tarball') {
    message = `${name} is installed from a tarball URL outside the registry${where}${was}.`;
  } else {
    message = `${name} is installed from a local file${where}${was}.`;
  }
  if (transitive)
    message += ` It is not a direct dependency: ${change.via.length ? `${clean(change.via.join(' > '), 200)} pulls it in` : 'another package pulls it in'}, so no one here chose this source.`;
  return [
    finding(ID, severity, message, {
      version: change.to,
      sourceType: type,
      url: shown ?? null,
      host: url === undefined ? null : (originOf(url)?.replace(/^https?:\/\//, '') ?? null),
      transitive,
      baseSourceType: base?.source.type ?? null,
      baseVersion: base?.version ?? null,
      newPackage: base === undefined,
      ...(type === 'git' ? (python ? { buildsFromSource: true } : { runsPrepare: true }) : {}),
    }),
  ];
}

/**
 * A registry-shaped tarball URL on a host that is not the registry's (or over plain http): the
 * package now downloads from somewhere else, whatever its path looks like.
 */
function foreignHost(input: SignalInput): Finding[] {
  const { change } = input;
  const url = change.head?.source.url;
  if (change.ecosystem !== 'npm' || url === undefined) return [];
  const foreign = foreignSource(url, input.registryOrigins);
  if (!foreign) return [];
  if (!foreign.compared) return uncompared(input, url, foreign.origin, foreign.host, foreign.plainHttp);
  const name = spec(change.name, change.to as string);
  const shown = withoutCredentials(url);
  const known = [...(input.registryOrigins?.configured !== undefined ? [input.registryOrigins.configured] : []), ...(input.registryOrigins?.base ?? [])];
  const registry = known.length ? `the registry (${clean([...new Set(known)].slice(0, 3).join(', '), 200)})` : 'the registry';
  const how = foreign.plainHttp ? ' over plain http, which anyone on the network path can read and replace,' : '';
  const message = `${name} now downloads from ${clean(foreign.host, 200)}${how} instead of ${registry} (${clean(shown, 300)}); the registry does not vouch for what that host serves.`;
  return [
    finding(ID, 'high', message, {
      version: change.to,
      sourceType: 'registry',
      host: foreign.host,
      url: shown,
      plainHttp: foreign.plainHttp,
      registryOrigins: [...new Set(known)].slice(0, 10),
      baseUrl: change.base?.source.url !== undefined ? withoutCredentials(change.base.source.url) : null,
      newPackage: change.base === undefined,
      foreignHost: true,
    }),
  ];
}

/**
 * Offline with no registry host to compare with (the base side records none): only a URL that appeared
 * or moved for this package is reported, saying the host could not be compared (high over plain http).
 */
function uncompared(input: SignalInput, url: string, origin: string, host: string, plainHttp: boolean): Finding[] {
  const { change } = input;
  const baseUrl = change.base?.source.url;
  if (!change.base || (baseUrl !== undefined && originOf(baseUrl) === origin)) return [];
  const shown = withoutCredentials(url);
  return [
    finding(
      ID,
      plainHttp ? 'high' : 'medium',
      `${spec(change.name, change.to as string)} now downloads from ${clean(host, 200)}${plainHttp ? ' over plain http' : ''} (${clean(shown, 300)}), where the base lockfile recorded ${baseUrl !== undefined && originOf(baseUrl) !== undefined ? `another host (${clean(originOf(baseUrl) as string, 200)})` : 'no URL'}; offline there is no registry host to compare it with.`,
      { version: change.to, sourceType: 'registry', host, url: shown, plainHttp, registryOrigins: [], compared: false, foreignHost: true },
    ),
  ];
}

/**
 * The commit of a git source URL: its fragment (`#<sha>`, `#commit=<sha>`), else a pip-style `@rev`
 * before the fragment (Pipfile, requirements: `repo@<sha>#subdirectory=…`), when it has one.
 */
export function commitOf(url: string | undefined): string | null {
  if (!url) return null;
  const hash = url.indexOf('#');
  if (hash >= 0) {
    for (const part of url.slice(hash + 1).split('&')) {
      if (part.startsWith('commit=')) return part.slice(7) || null;
      if (part !== '' && !part.includes('=')) return part;
    }
  }
  const m = /@([0-9a-f]{7,64})$/i.exec(hash >= 0 ? url.slice(0, hash) : url);
  return m ? (m[1] as string) : null;
}

/** The fragment's parameters other than the commit (`subdirectory=…`: which package of the tree is built). */
function paramsOf(url: string | undefined): string {
  const hash = url?.indexOf('#') ?? -1;
  if (!url || hash < 0) return '';
  return url
    .slice(hash + 1)
    .split('&')
    .filter((p) => p.includes('=') && !p.startsWith('commit='))
    .sort()
    .join('&');
}

/** A full commit hash names the same tree in any clone: the same one (and subdirectory) on both sides is the same code. */
function sameCode(from: string | undefined, to: string | undefined): boolean {
  const a = commitOf(from);
  return a !== null && a === commitOf(to) && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(a) && paramsOf(from) === paramsOf(to);
}

/** The same version from git at another commit: other code under an unchanged version number. */
function gitMoved(input: SignalInput): Finding[] {
  const { change } = input;
  const from = change.base?.source.url;
  const to = change.head?.source.url;
  if (from === to) return [];
  const name = spec(change.name, change.to as string);
  // Only the URL's spelling changed (`git+https://` vs `https://`, a branch name beside the locked commit).
  if (sameCode(from, to)) return [];
  const a = commitOf(from);
  const b = commitOf(to);
  const what = a && b ? `from commit ${clean(a, 64)} to ${clean(b, 64)}` : `from ${clean(from ?? '?', 200)} to ${clean(to ?? '?', 200)}`;
  return [
    finding(
      ID,
      'medium',
      `${name} is still installed from git, but it moved ${what} without a version change: the code changed under the same version number.`,
      {
        version: change.to,
        sourceType: 'git',
        url: to ?? null,
        baseUrl: from ?? null,
        fromCommit: a,
        toCommit: b,
        commitMoved: true,
      },
    ),
  ];
}

export const nonRegistrySource: SignalDefinition = {
  id: ID,
  defaultSeverity: 'medium',
  description:
    'Installed from git, a tarball or archive URL (high), another host than the registry or plain http (high), or a file, where the base used the registry; a git/tarball source of a transitive dependency is high.',
  offline: true,
  needs: ['registry-origins'],
  run,
};
