/**
 * What a package's manifest says runs: the files its install scripts start and its entry points
 * (`main`, `bin`, `exports`, `module`), read from the archive's own package.json. Python start-up files by
 * name, and the modules of its console scripts.
 */
import type { ArchiveContents } from '../model/contents.js';
import { consoleScriptModules } from './python-entry-points.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
const RUNNERS = new Set(['node', 'bun', 'sh', 'bash', 'python', 'python3', 'deno']);
const MAX_EXPORT_PATHS = 200;

/** The package.json of an npm archive, parsed; null when absent or unparsable (the gatherer reports that). */
export function manifestOf(contents: ArchiveContents | null): Record<string, unknown> | null {
  const text = contents?.files.find((f) => f.path === 'package.json')?.text;
  if (text === undefined) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function installScriptsOf(manifest: Record<string, unknown> | null): Record<string, string> {
  const scripts = manifest?.['scripts'];
  const out: Record<string, string> = {};
  if (typeof scripts !== 'object' || scripts === null) return out;
  for (const name of INSTALL_SCRIPTS) {
    const v = (scripts as Record<string, unknown>)[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/** The files install scripts run: `node install.js`, `sh ./setup.sh`, `./run.sh`, across `&&`/`;`/`||`. */
export function installTargets(scripts: Record<string, string>, contents: ArchiveContents | null): Set<string> {
  const paths = new Set((contents?.files ?? []).map((f) => f.path));
  const out = new Set<string>();
  for (const command of Object.values(scripts)) {
    for (const part of command.split(/&&|\|\||;/)) {
      const words = part.trim().split(/\s+/);
      const runner = RUNNERS.has(words[0] ?? '');
      const target = runner ? words.slice(1).find((w) => !w.startsWith('-')) : words[0];
      if (target !== undefined && (runner || /\.(?:[cm]?js|sh)$/.test(target))) out.add(resolve(target, paths));
    }
  }
  if (contents?.ecosystem === 'pypi' && paths.has('setup.py')) out.add('setup.py');
  return out;
}

/** Entry points from `main`/`module`/`browser`/`bin`/`exports` (npm), start-up files (Python). */
export function entryPointsOf(manifest: Record<string, unknown> | null, contents: ArchiveContents): Set<string> {
  const paths = new Set(contents.files.map((f) => f.path));
  if (contents.ecosystem === 'pypi')
    return new Set([
      ...[...paths].filter((p) => /(?:^|\/)(?:__init__\.py|sitecustomize\.py|usercustomize\.py|setup\.py)$|\.pth$/.test(p)),
      ...consoleScriptModules(contents),
    ]);
  const raw: string[] = [];
  collectStrings(manifest?.['main'] ?? 'index.js', raw);
  for (const key of ['module', 'browser', 'bin', 'exports']) collectStrings(manifest?.[key], raw);
  return new Set(raw.map((p) => resolve(p, paths)));
}

/** Strings anywhere in a manifest value, iteratively and bounded (an exports map can be hostile). */
function collectStrings(value: unknown, out: string[]): void {
  const stack: unknown[] = [value];
  while (stack.length > 0 && out.length < MAX_EXPORT_PATHS) {
    const v = stack.pop();
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'object' && v !== null) stack.push(...Object.values(v).slice(0, MAX_EXPORT_PATHS));
  }
}

/** `./lib/x` → `lib/x.js` when that is the file the archive has. */
function resolve(target: string, paths: ReadonlySet<string>): string {
  const p = target.replace(/^\.\//, '');
  if (paths.has(p)) return p;
  for (const candidate of [`${p}.js`, `${p}/index.js`]) if (paths.has(candidate)) return candidate;
  return p;
}
