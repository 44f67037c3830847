import { SelectiveJsonParser, parseSelected } from '../../src/readers/json-select.js';
import { InvalidDocumentError, PACKUMENT_SELECTOR, PackumentReducer, VERSION_CAPS, estimatePackumentBytes, toPackument } from '../../src/registry/packument.js';
import { fullPackument } from './server.js';

/** Parses JSON text the way the client does: selective parse, then reduction. */
const reduce = (name: string, doc: unknown | string) =>
  toPackument(name, parseSelected(typeof doc === 'string' ? doc : JSON.stringify(doc), PACKUMENT_SELECTOR));

describe('toPackument', () => {
  it('accepts the legacy shapes old documents have', () => {
    const doc = {
      name: 'old',
      time: { created: '2011-01-01T00:00:00.000Z', modified: '2012-01-01T00:00:00.000Z', '0.0.1': '2011-01-01T00:00:00.000Z' },
      versions: {
        '0.0.1': {
          name: 'old',
          version: '0.0.1',
          maintainers: ['Jane Doe <jane@example.test>', 'solo'],
          repository: 'git://example.test/old.git',
          deprecated: null,
          scripts: null,
          dist: { shasum: 'c'.repeat(40) },
        },
      },
    };
    const p = reduce('old', doc);
    const v = p.versions.get('0.0.1')!;
    expect(v.maintainers).toEqual([{ name: 'Jane Doe', email: 'jane@example.test' }, { name: 'solo' }]);
    expect(v.repository).toBe('git://example.test/old.git');
    expect(v.deprecated).toBeUndefined();
    expect(v.scripts).toEqual({});
    expect(v.integrity).toBeUndefined();
    expect(v.shasum).toBe('c'.repeat(40));
    expect(p.distTags.size).toBe(0);
  });

  it('keeps dist-tags in a Map, whatever their names', () => {
    const p = reduce('t', '{"name":"t","dist-tags":{"__proto__":"6.6.6","latest":"1.0.0"},"versions":{}}');
    expect([...p.distTags]).toEqual([
      ['__proto__', '6.6.6'],
      ['latest', '1.0.0'],
    ]);
  });

  it('shares equal values between versions without mixing different ones', () => {
    const doc = fullPackument('s', [
      { version: '1.0.0', npmUser: { name: 'a', email: 'a@x' }, dependencies: { x: '^1' }, scripts: { postinstall: 'node a' } },
      { version: '1.0.1', npmUser: { name: 'a', email: 'a@x' }, dependencies: { x: '^1' }, scripts: { postinstall: 'node a' } },
      { version: '1.0.2', npmUser: { name: 'b', email: 'a@x' }, dependencies: { x: '^2' }, scripts: { postinstall: 'node b' } },
      // names built to collide if keys were joined with a separator character
      { version: '1.0.3', dependencies: { 'a\u0000b': 'c' } },
      { version: '1.0.4', dependencies: { a: 'b\u0000c' } },
    ]);
    const p = reduce('s', doc);
    const [v0, v1, v2, v3, v4] = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4'].map((v) => p.versions.get(v)!);
    expect(v1!.dependencies).toBe(v0!.dependencies);
    expect(v1!.npmUser).toBe(v0!.npmUser);
    expect(v1!.scripts).toBe(v0!.scripts);
    expect(v2!.dependencies).toEqual({ x: '^2' });
    expect(v2!.npmUser).toEqual({ name: 'b', email: 'a@x' });
    expect(v2!.scripts).toEqual({ postinstall: 'node b' });
    expect(v3!.dependencies).toEqual({ 'a\u0000b': 'c' });
    expect(v4!.dependencies).toEqual({ a: 'b\u0000c' });
  });

  it('estimates size growing with the document and counting shared values once', () => {
    const versions = (n: number, deps: (i: number) => Record<string, string>) =>
      Array.from({ length: n }, (_, i) => ({ version: `1.0.${i}`, time: '2024-01-01T00:00:00.000Z', dependencies: deps(i) }));
    const same = reduce(
      'e',
      fullPackument(
        'e',
        versions(200, () => ({ a: '^1', b: '^2', c: '^3' })),
      ),
    );
    const distinct = reduce(
      'e',
      fullPackument(
        'e',
        versions(200, (i) => ({ [`a${i}`]: `^${i}`, [`b${i}`]: `^${i}`, [`c${i}`]: `^${i}` })),
      ),
    );
    const small = reduce(
      'e',
      fullPackument(
        'e',
        versions(20, () => ({ a: '^1' })),
      ),
    );
    expect(estimatePackumentBytes(small)).toBeLessThan(estimatePackumentBytes(same));
    expect(estimatePackumentBytes(same)).toBeLessThan(estimatePackumentBytes(distinct));
  });

  it('reduces versions as they stream, before the document ends, and dates them at the end', () => {
    const reducer = new PackumentReducer('s');
    const parser = new SelectiveJsonParser(reducer.selector);
    parser.write(Buffer.from('{"name":"s","versions":{"1.0.0":{"version":"1.0.0","scripts":{"install":"x"}},'));
    // the first version is already reduced; the parser kept nothing of it
    const early = reducer.finish({ name: 's' });
    expect(early.versions.get('1.0.0')!.scripts).toEqual({ install: 'x' });
    // a bad field is dropped at the '}' that completes its version, not at the end of the document
    parser.write(Buffer.from('"1.0.1":{"version":"1.0.1","scripts":{"install":42}}'));
    expect(reducer.finish({ name: 's' }).versions.get('1.0.1')!.dropped).toEqual(['scripts.install']);
    const ok = new PackumentReducer('s');
    const p2 = new SelectiveJsonParser(ok.selector);
    p2.write(Buffer.from('{"versions":{"1.0.0":{"version":"1.0.0"}},"time":{"1.0.0":"2024-01-01T00:00:00.000Z"}}'));
    const kept = p2.end() as { versions: object };
    expect(Object.keys(kept.versions)).toEqual([]);
    expect(ok.finish(kept).versions.get('1.0.0')!.publishedAt).toBe('2024-01-01T00:00:00.000Z');
  });

  it('throws InvalidDocumentError for a non-object document', () => {
    expect(() => toPackument('x', 'str')).toThrow(InvalidDocumentError);
    expect(() => toPackument('x', null)).toThrow(InvalidDocumentError);
  });

  it('counts every dropped entry and lists the first ones', () => {
    const time = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [String(i), i]));
    const p = reduce('x', { name: 'x', versions: {}, time });
    expect(p.repairs?.droppedCount).toBe(30);
    expect(p.repairs?.dropped).toHaveLength(20);
    expect(p.repairs?.dropped[0]).toBe('time.0');
  });

  it('skips a version that is not an object, and keeps the others', () => {
    const p = reduce('x', { name: 'x', versions: { '0.1.0': 'garbage', '1.0.0': { version: '1.0.0', gypfile: 'yes', scripts: { install: 'x' } } } });
    expect([...p.versions.keys()]).toEqual(['1.0.0']);
    expect(p.versions.get('1.0.0')!.scripts).toEqual({ install: 'x' });
    expect(p.versions.get('1.0.0')!.dropped).toEqual(['gypfile']);
    expect(p.repairs).toMatchObject({ skippedVersions: 1, dropped: ['0.1.0: not an object', '1.0.0: gypfile'] });
  });

  it('caps what it keeps: dependencies per version, script bytes, versions', () => {
    const deps = Object.fromEntries(Array.from({ length: VERSION_CAPS.dependencies + 1 }, (_, i) => [`d${i}`, '1']));
    const text = JSON.stringify({
      name: 'x',
      versions: { '1.0.0': { dependencies: deps, scripts: { postinstall: 'y'.repeat(VERSION_CAPS.scriptBytes + 10) } } },
    });
    const reducer = new PackumentReducer('x');
    const parser = new SelectiveJsonParser(reducer.selector);
    parser.write(Buffer.from(text));
    const p = reducer.finish(parser.end());
    const v = p.versions.get('1.0.0')!;
    expect(v.dependencies).toBeUndefined();
    expect(v.dropped).toEqual([`dependencies (over ${VERSION_CAPS.dependencies} entries)`]);
    expect(v.scripts.postinstall!.startsWith('y'.repeat(VERSION_CAPS.scriptBytes))).toBe(true);
    expect(v.scripts.postinstall).toMatch(/cut by lockwarden: the script is 65546 bytes/);
  });
});

describe('a real odd old version (jsdoc 3.2.0 wrote maintainers as an object)', () => {
  it('drops that field of that version only, and says so', () => {
    const doc = {
      name: 'jsdoc',
      'dist-tags': { latest: '3.3.0' },
      versions: {
        '3.2.0': {
          name: 'jsdoc',
          version: '3.2.0',
          maintainers: { name: 'hegemonic', email: 'j@example.com' },
          dist: { integrity: 'sha512-a', tarball: 'http://127.0.0.1:1/jsdoc/-/jsdoc-3.2.0.tgz' },
        },
        '3.3.0': {
          name: 'jsdoc',
          version: '3.3.0',
          maintainers: [{ name: 'hegemonic' }],
          dist: { integrity: 'sha512-b', tarball: 'http://127.0.0.1:1/jsdoc/-/jsdoc-3.3.0.tgz' },
        },
      },
      time: { '3.2.0': '2013-01-01T00:00:00.000Z', '3.3.0': '2015-01-01T00:00:00.000Z' },
    };
    const p = reduce('jsdoc', doc);
    expect([...p.versions.keys()].sort()).toEqual(['3.2.0', '3.3.0']);
    expect(p.versions.get('3.2.0')!.dropped).toContain('maintainers');
    expect(p.versions.get('3.3.0')!.dropped ?? []).toEqual([]);
    expect(p.repairs?.droppedCount).toBeGreaterThan(0);
  });
});
