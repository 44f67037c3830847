/** `pnpm-workspace.yaml` (pnpm 10 keeps its settings there). */
import { yamlDoc } from './docs.js';
import { PNPM_SPECS } from './pnpm.js';
import { settingsOf, type Settings } from './settings.js';
import { settingsFromDoc } from './specs.js';

export function pnpmWorkspaceSettings(file: string, text: string): Settings {
  return settingsOf(settingsFromDoc(yamlDoc(file, text), PNPM_SPECS));
}
