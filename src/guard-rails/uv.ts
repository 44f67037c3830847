/**
 * uv's index settings, in `uv.toml` or under `[tool.uv]` of pyproject.toml (also `[tool.uv.pip]`), and
 * poetry's `[[tool.poetry.source]]`: indexes, extra indexes, find-links, insecure hosts, index strategy.
 */
import { tomlDoc } from './docs.js';
import { PIP_WHY } from './pip-conf.js';
import { settingsOf, type Setting, type Settings } from './settings.js';
import { isObject, settingsFromDoc, type Doc, type Spec } from './specs.js';
import { valueText } from './values.js';

const INSECURE = 'uv connects to this host without checking its TLS certificate, so a network attacker can serve any package';

const SPECS: readonly Spec[] = [
  { path: ['index-url'], rule: 'source', why: PIP_WHY.index },
  { path: ['extra-index-url'], rule: 'allow', entries: true, why: PIP_WHY.extra },
  { path: ['find-links'], rule: 'allow', entries: true, why: PIP_WHY.findLinks },
  { path: ['allow-insecure-host'], rule: 'allow', entries: true, why: INSECURE },
  {
    path: ['index-strategy'],
    rule: 'flag',
    safe: (v) => v === 'first-index',
    defaultSafe: true,
    why: 'uv takes a package from the first index that has it; the unsafe strategies let any index (an attacker publishing your name) win',
  },
  { path: ['pip', 'index-url'], rule: 'source', why: PIP_WHY.index },
  { path: ['pip', 'extra-index-url'], rule: 'allow', entries: true, why: PIP_WHY.extra },
  { path: ['pip', 'find-links'], rule: 'allow', entries: true, why: PIP_WHY.findLinks },
  { path: ['pip', 'allow-insecure-host'], rule: 'allow', entries: true, why: INSECURE },
];

/** `[[index]]` tables: the default one is the index (any change counts), every other one an extra index. */
function indexTables(doc: Doc, path: readonly string[], prefix: string): Setting[] {
  let v: unknown = doc.value;
  for (const seg of path) v = isObject(v) ? v[seg] : undefined;
  if (!Array.isArray(v)) return [];
  return v.flatMap((t, i): Setting[] => {
    if (!isObject(t) || t['url'] === undefined) return [];
    const url = valueText(t['url']);
    const line = doc.lineOf([...path, String(i)]);
    return t['default'] === true || t['priority'] === 'primary' || t['priority'] === 'default'
      ? [{ key: `${prefix} (default)`, value: url, line, rule: 'source' as const, why: PIP_WHY.index }]
      : [{ key: `${prefix}: ${url}`, value: url, line, rule: 'allow' as const, why: PIP_WHY.extra }];
  });
}

function scoped(doc: Doc, path: readonly string[]): Doc {
  let v: unknown = doc.value;
  for (const seg of path) v = isObject(v) ? v[seg] : undefined;
  return { value: v, lineOf: (p) => doc.lineOf([...path, ...p]) };
}

/** `uv.toml` (settings at the top) or pyproject.toml (`[tool.uv]`, `[[tool.poetry.source]]`). */
export function uvSettings(file: string, text: string, pyproject: boolean): Settings {
  const doc = tomlDoc(file, text);
  const uvPath = pyproject ? ['tool', 'uv'] : [];
  const prefix = pyproject ? 'tool.uv.' : '';
  return settingsOf([
    ...settingsFromDoc(scoped(doc, uvPath), SPECS, prefix),
    ...indexTables(doc, [...uvPath, 'index'], `${prefix}index`),
    ...(pyproject ? indexTables(doc, ['tool', 'poetry', 'source'], 'tool.poetry.source') : []),
  ]);
}
