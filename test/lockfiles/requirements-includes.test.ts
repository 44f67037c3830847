/**
 * `-r` includes of requirements files: the paths a file includes (inside the repository only),
 * the loader collecting the transitive set through a read callback, and the parse taking their
 * texts (packages of an included file carry that file and their line in it).
 */
import { LockfileError } from '../../src/errors.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { loadIncludedFiles, loadRequirementFiles, requirementIncludes } from '../../src/lockfiles/formats/requirements/index.js';
import { lockfileError } from './helpers.js';

/** A read callback over an in-memory repository that counts its calls. */
function repo(files: Record<string, string>): { read: (p: string) => Promise<string | null>; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (p: string) => {
      reads.push(p);
      return Object.hasOwn(files, p) ? files[p]! : null;
    },
  };
}

async function loadError(p: Promise<unknown>): Promise<LockfileError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LockfileError) return e;
    throw e;
  }
  throw new Error('expected a LockfileError');
}

describe('requirementIncludes', () => {
  it('lists included files relative to the including file, repository-relative, once each', () => {
    const t = 'a==1\n-r base.txt\n--requirement=../common/reqs.txt\n-r ./base.txt\n-rlocal/x.txt\n-c constraints.txt\n';
    expect(requirementIncludes('requirements/dev.txt', t)).toEqual(['requirements/base.txt', 'common/reqs.txt', 'requirements/local/x.txt']);
    expect(requirementIncludes('requirements.txt', '-r requirements/base.txt\n')).toEqual(['requirements/base.txt']);
  });

  it('refuses absolute paths, URLs, home paths, environment variables and escapes, naming the line', () => {
    const cases: Array<[string, RegExp]> = [
      ['-r /etc/requirements.txt', /absolute paths are not followed/],
      ['-r C:\\reqs.txt', /absolute paths are not followed/],
      ['-r ~/reqs.txt', /absolute paths are not followed/],
      ['-r http://127.0.0.1:9/reqs.txt', /URLs are not followed/],
      ['-r file:///srv/reqs.txt', /URLs are not followed/],
      ['-r ${REQS}/base.txt', /environment variables/],
      ['-r ../../outside.txt', /the path leaves the repository/],
      ['-r sub/../../../x.txt', /the path leaves the repository/],
    ];
    for (const [line, re] of cases) {
      const e = lockfileError(() => requirementIncludes('requirements/dev.txt', `a==1\n${line}\n`));
      expect(e.file).toBe('requirements/dev.txt');
      expect(e.line).toBe(2);
      expect(e.message).toMatch(re);
    }
  });
});

describe('loadRequirementFiles', () => {
  it('collects the transitive set, reading each file once (cycles and diamonds)', async () => {
    const r = repo({
      'requirements.txt': '-r requirements/dev.txt\n-r requirements/test.txt\na==1\n',
      'requirements/dev.txt': '-r base.txt\nb==1\n',
      'requirements/test.txt': '-r base.txt\n-r ../requirements.txt\nc==1\n',
      'requirements/base.txt': '-r dev.txt\nd==1\n',
    });
    const files = await loadRequirementFiles('requirements.txt', r.read);
    expect([...files.keys()]).toEqual(['requirements.txt', 'requirements/dev.txt', 'requirements/test.txt', 'requirements/base.txt']);
    expect(r.reads.sort()).toEqual([...files.keys()].sort());
  });

  it('a missing include names the including file and line', async () => {
    const r = repo({ 'requirements.txt': 'a==1\n-r requirements/base.txt\n', 'requirements/base.txt': '# x\n\n-r missing.txt\n' });
    const e = await loadError(loadRequirementFiles('requirements.txt', r.read));
    expect(e.message).toBe('requirements/base.txt:3: included file requirements/missing.txt not found');
    expect((await loadError(loadRequirementFiles('nope.txt', r.read))).message).toBe('nope.txt: file not found');
  });

  it('caps the number of files, the depth and the bytes', async () => {
    // an include bomb: each file includes two new ones
    const bomb: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) bomb[`r${i}.txt`] = `-r r${2 * i + 1}.txt\n-r r${2 * i + 2}.txt\n`;
    const r = repo(bomb);
    const e = await loadError(loadRequirementFiles('r0.txt', r.read));
    expect(e.message).toMatch(/more than 64 requirements files included/);
    expect(r.reads.length).toBeLessThanOrEqual(64);

    const chain: Record<string, string> = {};
    for (let i = 0; i < 40; i++) chain[`c${i}.txt`] = `-r c${i + 1}.txt\n`;
    const d = await loadError(loadRequirementFiles('c0.txt', repo(chain).read, { maxDepth: 5 }));
    expect(d.message).toBe('c5.txt:1: -r c6.txt: includes nested deeper than 5 files');

    const big = repo({ 'requirements.txt': '-r a.txt\n', 'a.txt': 'x'.repeat(1000) });
    expect((await loadError(loadRequirementFiles('requirements.txt', big.read, { maxBytes: 500 }))).message).toMatch(
      /^requirements\.txt:1: -r a\.txt: included files larger than 500/,
    );
  });
});

describe('parsing with includes', () => {
  const files = new Map([
    ['requirements/dev.txt', `-r base.txt\npytest==8.0.0 \\\n    --hash=sha256:${'a'.repeat(64)}\n`],
    ['requirements/base.txt', '# base\n\ndjango==4.2.7\nrequests>=2\n-r ../shared.txt\n'],
    ['shared.txt', 'six==1.16.0\ndjango==4.2.7\n'],
  ]);

  it('reads included packages with their own file and line, in pip order', () => {
    const lock = parseLockfile('requirements/dev.txt', files.get('requirements/dev.txt')!, { includes: files });
    expect(lock.format).toBe('requirements');
    expect(lock.packages.map((p) => [p.name, p.version, p.file, p.line])).toEqual([
      ['django', '4.2.7', 'requirements/base.txt', 3],
      ['six', '1.16.0', 'shared.txt', 1],
      ['pytest', '8.0.0', undefined, 2],
    ]);
    expect(lock.unreviewed).toEqual([{ name: 'requests', line: 4, reason: 'not pinned with ==', file: 'requirements/base.txt' }]);
    expect(lock.importers[0]!.deps).toEqual(['django', 'six', 'pytest']);
  });

  it('works with the loader output end to end', async () => {
    const all = new Map(files);
    all.set('requirements/dev.txt', files.get('requirements/dev.txt')!);
    const loaded = await loadRequirementFiles('requirements/dev.txt', repo(Object.fromEntries(all)).read);
    const lock = parseLockfile('requirements/dev.txt', loaded.get('requirements/dev.txt')!, { includes: loaded });
    expect(lock.packages.map((p) => p.name)).toEqual(['django', 'six', 'pytest']);
  });

  it('without includes, an include is listed as not read; with them, a missing one is an error', () => {
    const lock = parseLockfile('requirements/dev.txt', files.get('requirements/dev.txt')!);
    expect(lock.packages.map((p) => p.name)).toEqual(['pytest']);
    expect(lock.unreviewed).toEqual([{ name: '-r requirements/base.txt', line: 1, reason: 'included file not read' }]);
    const e = lockfileError(() => parseLockfile('requirements/dev.txt', '\n-r other.txt\n', { includes: new Map() }));
    expect(e.message).toBe('requirements/dev.txt:2: included file requirements/other.txt was not read');
  });

  it('an include cycle is an error naming the line that closes it', () => {
    const cyc = new Map([
      ['a.txt', 'x==1\n-r b.txt\n'],
      ['b.txt', '\n\n-r a.txt\n'],
    ]);
    const e = lockfileError(() => parseLockfile('requirements.txt', '-r a.txt\n', { includes: cyc }));
    expect(e.message).toBe('b.txt:3: -r a.txt: include cycle (requirements.txt → a.txt → b.txt → a.txt)');
    expect(lockfileError(() => parseLockfile('requirements.txt', 'a==1\n-r requirements.txt\n', { includes: new Map() })).message).toMatch(
      /^requirements\.txt:2: -r requirements\.txt: include cycle/,
    );
  });

  it('an include bomb (every file including the next two twice) reads each file once, and caps the count', () => {
    const bomb = new Map<string, string>();
    // 12 levels: without reading each file once, some 2^12 file parses
    for (let i = 0; i < 12; i++) bomb.set(`l${i}.txt`, `-r l${i + 1}.txt\n-r l${i + 1}.txt\n-r l${i + 2}.txt\np${i}==1.0\n`);
    bomb.set('l12.txt', 'end==1\n');
    bomb.set('l13.txt', 'end==1\n');
    const t0 = Date.now();
    const lock = parseLockfile('requirements.txt', '-r l0.txt\n', { includes: bomb });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(lock.packages.map((p) => p.name).sort()).toEqual(['end', ...Array.from({ length: 12 }, (_, i) => `p${i}`)].sort());
    const wide = new Map<string, string>();
    const names = Array.from({ length: 100 }, (_, i) => `w${i}.txt`);
    for (const n of names) wide.set(n, 'a==1\n');
    const e = lockfileError(() => parseLockfile('requirements.txt', names.map((n) => `-r ${n}`).join('\n'), { includes: wide }));
    expect(e.message).toBe('requirements.txt:64: -r w63.txt: more than 64 requirements files included');
    const deep = new Map<string, string>();
    for (let i = 0; i < 30; i++) deep.set(`d${i}.txt`, `-r d${i + 1}.txt\n`);
    expect(lockfileError(() => parseLockfile('requirements.txt', '-r d0.txt\n', { includes: deep })).message).toMatch(/includes nested deeper than 16 files/);
  });
});

describe('loadIncludedFiles', () => {
  it('reads only the included files (never the file itself again), and nothing for a file without includes', async () => {
    const reads: string[] = [];
    const disk = new Map([['req/base.txt', 'six==1.16.0\n']]);
    const read = async (p: string) => {
      reads.push(p);
      return disk.get(p) ?? null;
    };
    const inc = await loadIncludedFiles('req/prod.txt', '-r base.txt\nattrs==23.2.0\n', read);
    expect([...inc!.entries()]).toEqual([['req/base.txt', 'six==1.16.0\n']]);
    expect(reads).toEqual(['req/base.txt']);
    reads.length = 0;
    expect(await loadIncludedFiles('req/prod.txt', 'attrs==23.2.0\n', read)).toBeUndefined();
    expect(reads).toEqual([]);
    await expect(loadIncludedFiles('req/prod.txt', '-r missing.txt\n', read)).rejects.toThrow(/req\/prod\.txt:1/);
  });
});
