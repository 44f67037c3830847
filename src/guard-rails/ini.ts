/**
 * INI lines as Python's configparser reads pip.conf: `[section]`, `key = value` or `key: value`, comments
 * from `;` or `#` at line start (never inline), and indented continuation lines that add to the previous
 * value, as pip.conf writes several extra index URLs. (.npmrc follows npm's `ini` instead: ./npmrc.ts.)
 */

export interface IniEntry {
  section: string;
  key: string;
  /** The value; continuation lines joined with `\n`. */
  value: string;
  line: number;
}

/** Every `key = value` of the file in order (later ones win when read into a map). */
export function iniEntries(text: string): IniEntry[] {
  const out: IniEntry[] = [];
  let section = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    const last = out[out.length - 1];
    if (/^\s/.test(raw) && last && last.section === section) {
      last.value = `${last.value}\n${trimmed}`;
      return;
    }
    const header = /^\[(.*)\]$/.exec(trimmed);
    if (header) {
      section = header[1]!.trim();
      return;
    }
    const eq = trimmed.indexOf('=');
    const colon = trimmed.indexOf(':');
    const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    if (at < 0) return; // configparser refuses a bare key unless allow_no_value: pip never sets it
    out.push({ section, key: trimmed.slice(0, at).trim(), value: trimmed.slice(at + 1).trim(), line: i + 1 });
  });
  return out;
}
