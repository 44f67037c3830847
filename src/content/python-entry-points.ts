/**
 * Python: the modules a wheel's console and GUI scripts run (`*.dist-info/entry_points.txt`,
 * `name = pkg.cli:main` → `pkg/cli.py` or `pkg/cli/__init__.py`), as the archive has them.
 */
import type { ArchiveContents } from '../model/contents.js';

const MAX_SCRIPTS = 200;

export function consoleScriptModules(contents: ArchiveContents): string[] {
  const paths = new Set(contents.files.map((f) => f.path));
  const text = contents.files.find((f) => /^[^/]+\.dist-info\/entry_points\.txt$/.test(f.path))?.text;
  if (text === undefined) return [];
  const out: string[] = [];
  let section = '';
  for (const raw of text.split('\n').slice(0, 10_000)) {
    const line = raw.trim();
    const header = /^\[([^\]]{1,100})\]$/.exec(line);
    if (header) section = header[1]!.trim();
    else if ((section === 'console_scripts' || section === 'gui_scripts') && out.length < MAX_SCRIPTS) {
      const target = /=\s*([A-Za-z_][\w.]{0,200})\s*(?::|$)/.exec(line)?.[1];
      const base = target?.replace(/\./g, '/');
      if (base === undefined) continue;
      const found = [`${base}.py`, `${base}/__init__.py`].find((p) => paths.has(p));
      if (found !== undefined) out.push(found);
    }
  }
  return out;
}
