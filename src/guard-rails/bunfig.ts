/** `bunfig.toml`: `[install]` registry and scopes, the minimum release age (seconds) and its exclusions. */
import { tomlDoc } from './docs.js';
import { settingsOf, type Settings } from './settings.js';
import { isObject, settingsFromDoc, type Spec } from './specs.js';
import { durationIn } from './values.js';

/** A registry is a URL or a table with `url` (and a token, never read). */
const registryUrl = (v: unknown) => (isObject(v) ? v['url'] : v);

const SPECS: readonly Spec[] = [
  {
    path: ['install', 'registry'],
    rule: 'source',
    project: registryUrl,
    why: 'every package without a scoped registry is installed from this host instead: a new registry is the classic dependency-confusion vector',
  },
  { path: ['install', 'scopes', '*'], rule: 'source', project: registryUrl, why: "this scope's packages are installed from this host instead" },
  {
    path: ['install', 'minimumReleaseAge'],
    rule: 'age',
    amount: (v) => durationIn(v, 's'),
    why: 'the minimum release age (seconds) keeps just-published (possibly hijacked) versions out until they have been vetted',
  },
  { path: ['install', 'minimumReleaseAgeExcludes'], rule: 'allow', entries: true, why: 'these packages skip the minimum release age' },
];

export function bunfigSettings(file: string, text: string): Settings {
  return settingsOf(settingsFromDoc(tomlDoc(file, text), SPECS));
}
