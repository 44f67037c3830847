/**
 * The advisory fixture records (test/fixtures/advisories, OSV format, one file each) and their GitHub
 * global-advisory form, for the fixture OSV service and the fake GitHub's `GET /advisories`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root.js';

/** An OSV record as the fixtures hold it (only the fields the fakes read are typed). */
export interface FixtureOsvRecord {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  affected: { package: { ecosystem: string; name: string }; versions?: string[]; ranges?: { type: string; events: Record<string, string>[] }[] }[];
  database_specific?: Record<string, unknown>;
  [key: string]: unknown;
}

export const ADVISORY_FIXTURES = path.join(repoRoot(), 'test', 'fixtures', 'advisories');

/** Every fixture record, with whether it sits under `malicious/`. */
export function fixtureRecords(dir = ADVISORY_FIXTURES): { record: FixtureOsvRecord; malicious: boolean }[] {
  const out: { record: FixtureOsvRecord; malicious: boolean }[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json'))
        out.push({ record: JSON.parse(readFileSync(full, 'utf8')) as FixtureOsvRecord, malicious: full.includes(`${path.sep}malicious${path.sep}`) });
    }
  };
  walk(dir);
  return out;
}

const GH_ECOSYSTEM: Record<string, string> = { npm: 'npm', PyPI: 'pip' };

/** The GHSA id of a record: its own id, or its first GHSA alias; undefined when it has none (GitHub does not list it). */
export function ghsaIdOf(r: FixtureOsvRecord): string | undefined {
  return r.id.startsWith('GHSA-') ? r.id : r.aliases?.find((a) => a.startsWith('GHSA-'));
}

/** A record as GitHub's `GET /advisories` lists it (every field its OpenAPI schema requires). */
export function githubAdvisoryOf(r: FixtureOsvRecord, malicious: boolean, apiUrl: string): Record<string, unknown> | undefined {
  const ghsa = ghsaIdOf(r);
  if (ghsa === undefined) return undefined;
  const cve = [r.id, ...(r.aliases ?? [])].find((a) => a.startsWith('CVE-')) ?? null;
  const severity = String((r.database_specific?.['severity'] as string | undefined) ?? (malicious ? 'critical' : 'medium')).toLowerCase();
  return {
    ghsa_id: ghsa,
    cve_id: cve,
    url: `${apiUrl}/advisories/${ghsa}`,
    html_url: `https://github.com/advisories/${ghsa}`,
    repository_advisory_url: null,
    summary: r.summary ?? '',
    description: r.details ?? null,
    type: malicious ? 'malware' : 'reviewed',
    severity: severity === 'moderate' ? 'medium' : severity,
    source_code_location: null,
    identifiers: [{ type: 'GHSA', value: ghsa }, ...(cve ? [{ type: 'CVE', value: cve }] : [])],
    references: [`https://github.com/advisories/${ghsa}`],
    published_at: r.published ?? '2020-01-01T00:00:00Z',
    updated_at: r.modified ?? r.published ?? '2020-01-01T00:00:00Z',
    github_reviewed_at: r.published ?? null,
    nvd_published_at: null,
    withdrawn_at: null,
    vulnerabilities: r.affected.flatMap((a) => {
      const eco = GH_ECOSYSTEM[a.package.ecosystem];
      if (!eco) return [];
      return rangesOf(a).map((range) => ({
        package: { ecosystem: eco, name: a.package.name },
        vulnerable_version_range: range.text,
        first_patched_version: range.fixed ?? null,
        vulnerable_functions: [],
      }));
    }),
    cvss: null,
    cwes: [],
    credits: [],
  };
}

/** GitHub's range text for an affected entry: `= v` per listed version, `>= a, < b` per OSV interval. */
function rangesOf(a: FixtureOsvRecord['affected'][number]): { text: string; fixed?: string }[] {
  const out: { text: string; fixed?: string }[] = [];
  for (const r of a.ranges ?? []) {
    let open: string | undefined;
    for (const e of r.events) {
      if (e['introduced'] !== undefined) open = e['introduced'];
      else if (open !== undefined && e['fixed'] !== undefined) {
        out.push({ text: open === '0' ? `< ${e['fixed']}` : `>= ${open}, < ${e['fixed']}`, fixed: e['fixed'] });
        open = undefined;
      } else if (open !== undefined && e['last_affected'] !== undefined) {
        out.push({ text: open === '0' ? `<= ${e['last_affected']}` : `>= ${open}, <= ${e['last_affected']}` });
        open = undefined;
      }
    }
    if (open !== undefined) out.push({ text: `>= ${open}` });
  }
  if (!out.length) for (const v of a.versions ?? []) out.push({ text: `= ${v}` });
  return out;
}
