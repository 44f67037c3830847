/**
 * INI lines as npm's `ini` and Python's configparser read them: `[section]`, `key = value` (configparser
 * also `key: value`), comments from `;` or `#` at line start, and (configparser) indented continuation
 * lines that add to the previous value, as pip.conf writes several extra index URLs.
 */

export interface IniEntry {
  section: string;
  key: string;
  /** The value unquoted; continuation lines joined with `\n`. */
  value: string;
  line: number;
}

function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) ? t.slice(1, -1) : t;
}

/** Every `key = value` of the file in order (later ones win when read into a map). */
export function iniEntries(text: string, opts: { colon?: boolean; continuation?: boolean } = {}): IniEntry[] {
  const out: IniEntry[] = [];
  let section = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    const last = out[out.length - 1];
    if (opts.continuation && /^\s/.test(raw) && last && last.section === section) {
      last.value = `${last.value}\n${trimmed}`;
      return;
    }
    const header = /^\[(.*)\]$/.exec(trimmed);
    if (header) {
      section = header[1]!.trim();
      return;
    }
    const eq = trimmed.indexOf('=');
    const colon = opts.colon ? trimmed.indexOf(':') : -1;
    const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    // npm reads a bare `key` as `key = true`.
    const key = (at < 0 ? trimmed : trimmed.slice(0, at)).trim();
    const value = at < 0 ? 'true' : unquote(trimmed.slice(at + 1));
    out.push({ section, key, value, line: i + 1 });
  });
  return out;
}
