/**
 * `.npmrc` (npm, pnpm and yarn classic read it): the registries, install scripts, TLS checks and the
 * minimum release age. `//host/:_authToken` and other credential lines are never read, so never shown.
 */
import { iniEntries } from './ini.js';
import { settingsOf, type Setting, type Settings } from './settings.js';
import { boolText, cleanValue, durationIn } from './values.js';

const WHY = {
  registry: 'every package without a scoped registry is installed from this host instead: a new registry is the classic dependency-confusion vector',
  scoped:
    "this scope's packages are installed from this host instead (a scope without its registry falls back to the default one, where anyone may publish the name)",
  ignoreScripts: 'with ignore-scripts=true no dependency runs install scripts; without it every install runs them',
  strictSsl: 'with strict-ssl=false npm accepts any TLS certificate, so a network attacker can serve any package',
  minReleaseAge: 'the minimum release age keeps just-published (possibly hijacked) versions out until they have been vetted',
};

function setting(key: string, value: string, line: number): Setting | undefined {
  if (key === 'registry') return { key, value: cleanValue(value), line, rule: 'source', why: WHY.registry };
  if (/^@[^/:]+:registry$/.test(key)) return { key, value: cleanValue(value), line, rule: 'source', why: WHY.scoped };
  if (key === 'ignore-scripts')
    return { key, value: cleanValue(value), line, rule: 'flag', safe: boolText(value) === true, defaultSafe: false, why: WHY.ignoreScripts };
  if (key === 'strict-ssl')
    return { key, value: cleanValue(value), line, rule: 'flag', safe: boolText(value) !== false, defaultSafe: true, why: WHY.strictSsl };
  if (key === 'min-release-age') {
    const s: Setting = { key, value: cleanValue(value), line, rule: 'age', why: WHY.minReleaseAge };
    const a = durationIn(value.trim(), 'd');
    if (a !== undefined) s.amount = a;
    return s;
  }
  return undefined;
}

/** The guard-rail settings of an `.npmrc` (the last of a repeated key wins, as in npm). */
export function npmrcSettings(text: string): Settings {
  const byKey = new Map<string, Setting>();
  for (const e of iniEntries(text)) {
    const s = setting(e.key.trim(), e.value, e.line);
    if (s) byKey.set(s.key, s);
  }
  return settingsOf([...byKey.values()]);
}
