/** Installs the tool's pinned parsers (npm ci) when its node_modules is missing. */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function ensureDeps() {
  const here = import.meta.dirname;
  if (existsSync(join(here, 'node_modules', 'smol-toml'))) return;
  console.error('corpus-scale: installing the established parsers (npm ci)…');
  execFileSync('npm', ['ci', '--prefix', here, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
