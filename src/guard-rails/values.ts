/** Cleaning of setting values before anything renders them: one line, cut, credentials redacted. */

const MAX_VALUE = 300;

/** `https://user:token@host/` → `https://***@host/`; also `//user:pass@` without a scheme. */
export function redactCredentials(s: string): string {
  return s.replace(/(^|[^\w])((?:[a-z][a-z0-9+.-]*:)?\/\/)[^/\s@]+@/gi, '$1$2***@');
}

/** A value as reports may show it: no control characters, no credentials, at most 300 characters. */
export function cleanValue(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const one = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const safe = redactCredentials(one);
  return safe.length > MAX_VALUE ? `${safe.slice(0, MAX_VALUE)}…` : safe;
}

/** A value in a config format (JSON, YAML, TOML) as text. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return cleanValue(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return 'null';
  // A list or table is named by its size, never walked: it may be nested as deep as the parser allows.
  if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  return `{${Object.keys(v).length} keys}`;
}

const UNIT_MINUTES: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 };

/** A duration (`3d`, `72h`, `4320`) as a number in `bareUnit` (s, m, h, d); undefined when unreadable. */
export function durationIn(v: unknown, bareUnit: 's' | 'm' | 'h' | 'd'): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$/i.exec(v);
  if (!m) return undefined;
  const unit = (m[2] ?? bareUnit).toLowerCase();
  return (Number(m[1]) * UNIT_MINUTES[unit]!) / UNIT_MINUTES[bareUnit]!;
}

/** npm and pip read `true`, `false` as written (quotes and case aside). */
export function boolText(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const t = v
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}
