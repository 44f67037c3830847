/** Requirements files through pip's own parser (pip_requirements.py), many texts per python process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./pip_requirements.py', import.meta.url));

/** `{ entries }` or `{ error }` per text. */
export function parseRequirementsBatch(texts) {
  const r = spawnSync('python3', [SCRIPT], { input: JSON.stringify(texts), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pip_requirements.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
