/** package.json: npm 11's `allowScripts`, bun's `trustedDependencies`, and pnpm's settings under `pnpm`. */
import { jsonDoc } from './docs.js';
import { PNPM_SPECS } from './pnpm.js';
import { settingsOf, type Settings } from './settings.js';
import { settingsFromDoc, type Spec } from './specs.js';

const SPECS: readonly Spec[] = [
  {
    path: ['allowScripts'],
    rule: 'allow',
    entries: true,
    why: 'npm runs install scripts of the packages allowScripts names: each new entry runs code on every install',
  },
  {
    path: ['trustedDependencies'],
    rule: 'allow',
    entries: true,
    why: 'bun runs install scripts only of trusted dependencies: each new entry runs code on every install',
  },
];

export function packageJsonSettings(file: string, text: string): Settings {
  const doc = jsonDoc(file, text);
  const pnpm = { value: (doc.value as Record<string, unknown> | null)?.['pnpm'], lineOf: (p: readonly string[]) => doc.lineOf(['pnpm', ...p]) };
  return settingsOf([...settingsFromDoc(doc, SPECS), ...settingsFromDoc(pnpm, PNPM_SPECS, 'pnpm.')]);
}
