/** `pip.conf`: the index pip installs from, extra indexes and find-links, and hosts trusted without TLS. */
import { iniEntries } from './ini.js';
import { settingsOf, type Setting, type Settings } from './settings.js';
import { cleanValue } from './values.js';

export const PIP_WHY = {
  index: 'every package is installed from this index instead: a new index is the classic dependency-confusion vector',
  extra: 'pip takes the highest version from any index: a package of the same name on an extra index can replace yours (dependency confusion)',
  findLinks: 'pip installs distributions found at this location as well as from the index',
  trusted: 'pip installs from this host without a valid TLS certificate, so a network attacker can serve any package',
};

const KEYS: Record<string, { rule: 'source' | 'allow'; why: string }> = {
  'index-url': { rule: 'source', why: PIP_WHY.index },
  'extra-index-url': { rule: 'allow', why: PIP_WHY.extra },
  'find-links': { rule: 'allow', why: PIP_WHY.findLinks },
  'trusted-host': { rule: 'allow', why: PIP_WHY.trusted },
};

/** The guard-rail settings of a `pip.conf` (`[global]`, `[install]`, …; list values one per line or space-separated). */
export function pipConfSettings(text: string): Settings {
  const out = new Map<string, Setting>();
  for (const e of iniEntries(text)) {
    const name = e.key.trim().toLowerCase().replace(/_/g, '-');
    const spec = KEYS[name];
    if (!spec) continue;
    const key = `[${e.section}] ${name}`;
    if (spec.rule === 'source') {
      out.set(key, { key, value: cleanValue(e.value), line: e.line, rule: 'source', why: spec.why });
      continue;
    }
    for (const item of e.value.split(/\s+/).filter(Boolean)) {
      const value = cleanValue(item);
      out.set(`${key}: ${value}`, { key: `${key}: ${value}`, value, line: e.line, rule: 'allow', why: spec.why });
    }
  }
  return settingsOf([...out.values()]);
}
