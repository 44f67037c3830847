/**
 * The fake GitHub's `GET /advisories` (global security advisories): filters by `type`, `ecosystem` and
 * `affects` (comma-separated `name@version`, matched against each advisory's vulnerable range), cursor
 * pages with a `Link: rel="next"` header. The request must name the API version; the OpenAPI check
 * of the fake validates the rest.
 */
import semver from 'semver';
import { fixtureRecords, githubAdvisoryOf } from './advisory-records.js';

export interface AdvisoryReply {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export class FakeAdvisories {
  /** The advisories GitHub knows (GitHub's global-advisory objects). */
  readonly list: Record<string, unknown>[] = [];
  /** Advisories per page (GitHub's per_page caps it; set lower to exercise paging). */
  pageSize = 100;

  /** Loads the fixture records (test/fixtures/advisories) in their GitHub form. */
  loadFixtures(apiUrl: string): void {
    for (const { record, malicious } of fixtureRecords()) {
      const a = githubAdvisoryOf(record, malicious, apiUrl);
      if (a) this.list.push(a);
    }
  }

  handle(query: URLSearchParams, headers: Record<string, string>, apiUrl: string, errors: string[]): AdvisoryReply {
    if (headers['x-github-api-version'] !== '2022-11-28') {
      errors.push('GET /advisories: no X-GitHub-Api-Version: 2022-11-28 header');
      return { status: 400, json: { message: 'missing API version' } };
    }
    const type = query.get('type') ?? 'reviewed';
    const ecosystem = query.get('ecosystem');
    const affects = (query.get('affects') ?? '').split(',').filter(Boolean).map(parseAffects);
    const matching = this.list.filter((a) => a['type'] === type && (affects.length === 0 || affects.some((x) => covers(a, ecosystem, x))));
    const per = Math.min(this.pageSize, Number(query.get('per_page') ?? 30));
    const start = query.get('after') !== null ? Number(query.get('after')) : 0;
    const page = matching.slice(start, start + per);
    const out: AdvisoryReply = { status: 200, json: page };
    if (start + per < matching.length) {
      const next = new URLSearchParams(query);
      next.set('after', String(start + per));
      out.headers = { link: `<${apiUrl}/advisories?${next.toString()}>; rel="next"` };
    }
    return out;
  }
}

function parseAffects(s: string): { name: string; version: string | undefined } {
  const at = s.lastIndexOf('@');
  return at > 0 ? { name: s.slice(0, at), version: s.slice(at + 1) } : { name: s, version: undefined };
}

/** GitHub's affects filter: the package, and when a version is given, a vulnerable range holding it. */
function covers(a: Record<string, unknown>, ecosystem: string | null, x: { name: string; version: string | undefined }): boolean {
  const vulns = (a['vulnerabilities'] as { package: { ecosystem: string; name: string }; vulnerable_version_range: string }[]) ?? [];
  return vulns.some((v) => {
    if ((ecosystem !== null && v.package.ecosystem !== ecosystem) || v.package.name !== x.name) return false;
    if (x.version === undefined) return true;
    const range = v.vulnerable_version_range
      .replace(/,\s*/g, ' ')
      .replace(/=\s+/g, '=')
      .replace(/([<>])\s+/g, '$1');
    return v.package.ecosystem === 'npm' ? semver.satisfies(x.version, range) : pipCovers(x.version, v.vulnerable_version_range);
  });
}

/** PEP 440 is not needed for the fixtures' plain releases: compare numerically, term by term. */
function pipCovers(version: string, range: string): boolean {
  const num = (v: string) => v.split('.').map(Number);
  const cmp = (a: string, b: string) => {
    const x = num(a);
    const y = num(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  return range.split(',').every((t) => {
    const m = /^\s*(>=|<=|>|<|=)\s*(\S+)\s*$/.exec(t);
    if (!m) return false;
    const c = cmp(version, m[2] as string);
    return m[1] === '>=' ? c >= 0 : m[1] === '<=' ? c <= 0 : m[1] === '>' ? c > 0 : m[1] === '<' ? c < 0 : c === 0;
  });
}
