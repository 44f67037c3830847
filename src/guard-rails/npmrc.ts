/**
 * `.npmrc` (npm, pnpm and yarn classic read it): the registries, install scripts, TLS checks and the
 * minimum release age. `//host/:_authToken` and other credential lines are never read, so never shown.
 */
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

/** npm's `ini` unquoting: quoted text as written, else up to the first unescaped `;` or `#` (an inline comment). */
function unsafe(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    const inner = v.startsWith("'") ? v.slice(1, -1) : v;
    try {
      return v.startsWith('"') || inner.startsWith('"') ? String(JSON.parse(inner)) : inner;
    } catch {
      return inner;
    }
  }
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === ';' || c === '#') break;
    if (c === '\\' && i + 1 < v.length) out += '\\;#'.includes(v[++i]!) ? v[i] : `\\${v[i]}`;
    else out += c;
  }
  return out.trim();
}

/** `key = value` lines outside any `[section]`, as npm's `ini` reads them (a lone CR also ends a line). */
function* npmrcEntries(text: string): Generator<{ key: string; value: string; line: number }> {
  let section = false;
  const physical = text.replace(/^\uFEFF/, '').split('\n');
  for (let n = 0; n < physical.length; n++) {
    for (const line of physical[n]!.split('\r')) {
      if (/^\s*([;#]|$)/.test(line)) continue;
      const header = /^\[([^\]]*)\]\s*$/.exec(line);
      if (header) {
        // npm reads keys under a section as that section's, never as settings
        section = true;
        continue;
      }
      const m = /^([^=]+)(=(.*))?$/.exec(line);
      if (!m || section) continue;
      yield { key: unsafe(m[1]!), value: m[2] === undefined ? 'true' : unsafe(m[3]!), line: n + 1 };
    }
  }
}

/** The guard-rail settings of an `.npmrc` (the last of a repeated key wins, as in npm). */
export function npmrcSettings(text: string): Settings {
  const byKey = new Map<string, Setting>();
  for (const e of npmrcEntries(text)) {
    const s = setting(e.key, e.value, e.line);
    if (s) byKey.set(s.key, s);
  }
  return settingsOf([...byKey.values()]);
}
