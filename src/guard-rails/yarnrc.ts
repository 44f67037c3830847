/** `.yarnrc.yml` (yarn 2+): install scripts, registries, the minimal age gate, plain-http hosts, TLS checks. */
import { yamlDoc } from './docs.js';
import { settingsOf, type Settings } from './settings.js';
import { settingsFromDoc, type Spec } from './specs.js';
import { durationIn } from './values.js';

const isFalse = (v: unknown) => v === false || v === 'false';

const SPECS: readonly Spec[] = [
  {
    path: ['enableScripts'],
    rule: 'flag',
    safe: isFalse,
    defaultSafe: false,
    why: 'with enableScripts: false no dependency runs install scripts; with true every install runs them',
  },
  {
    path: ['npmRegistryServer'],
    rule: 'source',
    why: 'every package without a scoped registry is installed from this host instead: a new registry is the classic dependency-confusion vector',
  },
  { path: ['npmScopes', '*', 'npmRegistryServer'], rule: 'source', why: "this scope's packages are installed from this host instead" },
  {
    path: ['npmMinimalAgeGate'],
    rule: 'age',
    amount: (v) => durationIn(v, 'm'),
    why: 'the minimal age gate keeps just-published (possibly hijacked) versions out until they have been vetted',
  },
  { path: ['npmPreapprovedPackages'], rule: 'allow', entries: true, why: 'these packages skip the minimal age gate' },
  {
    path: ['unsafeHttpWhitelist'],
    rule: 'allow',
    entries: true,
    why: 'yarn fetches from this host over plain http, so a network attacker can serve any package',
  },
  {
    path: ['enableStrictSsl'],
    rule: 'flag',
    safe: (v) => !isFalse(v),
    defaultSafe: true,
    why: 'with enableStrictSsl: false yarn accepts any TLS certificate, so a network attacker can serve any package',
  },
  {
    path: ['enableHardenedMode'],
    rule: 'flag',
    safe: (v) => !isFalse(v),
    defaultSafe: true,
    why: 'hardened mode checks that the lockfile matches what the registry serves',
  },
];

export function yarnrcSettings(file: string, text: string): Settings {
  return settingsOf(settingsFromDoc(yamlDoc(file, text), SPECS));
}
