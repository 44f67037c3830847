/**
 * A wheel's `*.dist-info/RECORD` (PEP 376/427): one CSV row per installed file, `path,algo=digest,size`,
 * the digest urlsafe base64 without padding. Parsed strictly: a duplicated path is refused, as is
 * anything that is not the CSV Python's `csv` module writes.
 */
import { WheelZipError } from './wheel-zip.js';

export interface RecordEntry {
  path: string;
  /** `sha256` (or `sha384`/`sha512`, which pip also accepts); undefined for the RECORD's own line. */
  algorithm?: 'sha256' | 'sha384' | 'sha512';
  /** Lower-case hex digest. */
  digest?: string;
  size?: number;
}

const MAX_ROWS = 200_000;

/** The rows of a RECORD text. Throws {@link WheelZipError} on malformed rows or a repeated path. */
export function parseRecord(text: string): RecordEntry[] {
  const out: RecordEntry[] = [];
  const seen = new Set<string>();
  for (const row of csvRows(text)) {
    if (row.length === 1 && row[0] === '') continue;
    if (row.length !== 3) throw new WheelZipError(`RECORD row ${out.length + 1} has ${row.length} fields, not 3`);
    const [path, hash, size] = row as [string, string, string];
    if (path === '') throw new WheelZipError(`RECORD row ${out.length + 1} has no path`);
    if (seen.has(path)) throw new WheelZipError(`RECORD lists ${JSON.stringify(path.slice(0, 200))} twice`);
    seen.add(path);
    if (out.length >= MAX_ROWS) throw new WheelZipError(`RECORD has more than ${MAX_ROWS} rows`);
    out.push({ path, ...hashOf(hash, path), ...sizeOf(size, path) });
  }
  return out;
}

function hashOf(field: string, path: string): Pick<RecordEntry, 'algorithm' | 'digest'> {
  if (field === '') return {};
  const m = /^(sha256|sha384|sha512)=([A-Za-z0-9_-]+)$/.exec(field);
  if (!m) throw new WheelZipError(`RECORD hash of ${JSON.stringify(path.slice(0, 200))} is not sha256/sha384/sha512 in urlsafe base64`);
  const digest = Buffer.from(m[2]!, 'base64url');
  const want = { sha256: 32, sha384: 48, sha512: 64 }[m[1] as 'sha256'];
  if (digest.length !== want) throw new WheelZipError(`RECORD hash of ${JSON.stringify(path.slice(0, 200))} has the wrong length`);
  return { algorithm: m[1] as RecordEntry['algorithm'] & string, digest: digest.toString('hex') };
}

function sizeOf(field: string, path: string): Pick<RecordEntry, 'size'> {
  if (field === '') return {};
  if (!/^\d{1,15}$/.test(field)) throw new WheelZipError(`RECORD size of ${JSON.stringify(path.slice(0, 200))} is not a number`);
  return { size: Number(field) };
}

/** CSV rows (RFC 4180 as Python's csv module writes it: `"` quoting, `""` inside quotes, CRLF or LF). */
function* csvRows(text: string): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      yield row;
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (quoted) throw new WheelZipError('RECORD ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}

/** Lines RECORD may list without a hash: itself and its signatures (PEP 427). */
export function isRecordFamily(path: string): boolean {
  return /^[^/]+\.dist-info\/RECORD(?:\.jws|\.p7s)?$/.test(path);
}
