/**
 * A requirements file's option lines, read with the lockfile parser's own option reader (pip's optparse
 * rules, abbreviations included): `--index-url`/`-i`, `--extra-index-url`, `--find-links`/`-f`, `--trusted-host`.
 */
import { InputError } from '../errors.js';
import { logicalLines } from '../lockfiles/formats/requirements/lines.js';
import { breakArgsOptions, parseOptions } from '../lockfiles/formats/requirements/options.js';
import { PIP_WHY } from './pip-conf.js';
import { settingsOf, type Setting, type Settings } from './settings.js';
import { cleanValue } from './values.js';

const OPTIONS: Record<string, { key: string; rule: 'source' | 'allow'; why: string }> = {
  '--index-url': { key: '--index-url', rule: 'source', why: PIP_WHY.index },
  '--pypi-url': { key: '--index-url', rule: 'source', why: PIP_WHY.index },
  '--extra-index-url': { key: '--extra-index-url', rule: 'allow', why: PIP_WHY.extra },
  '--find-links': { key: '--find-links', rule: 'allow', why: PIP_WHY.findLinks },
  '--trusted-host': { key: '--trusted-host', rule: 'allow', why: PIP_WHY.trusted },
};

export function requirementsSettings(file: string, text: string): Settings {
  const out = new Map<string, Setting>();
  for (const l of logicalLines(file, text.replace(/^\uFEFF/, ''))) {
    const [, optText] = breakArgsOptions(l.text);
    if (optText === '') continue;
    const fail = (m: string): never => {
      throw new InputError(m, { file, line: l.line });
    };
    for (const { option, value } of parseOptions(optText, fail).sources) {
      const spec = OPTIONS[option]!;
      const v = cleanValue(value);
      const key = spec.rule === 'source' ? spec.key : `${spec.key}: ${v}`;
      out.set(key, { key, value: v, line: l.line, rule: spec.rule, why: spec.why });
    }
  }
  return settingsOf([...out.values()]);
}
