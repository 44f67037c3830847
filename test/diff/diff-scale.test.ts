/**
 * diffLockfiles on a large generated lockfile (thousands of packages, several copies and versions
 * per name), checked against facts computed independently here: one change per (name, version)
 * in order, the shallowest copy, the importers depending on a copy directly, and a `via` path that
 * exists and is as short as a breadth-first search from the importers says.
 */
import { compareVersions, diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { LockPackage } from '../../src/model/index.js';

function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return (x >>> 8) % n;
  };
}

function generate(seed: number): string {
  const r = rng(seed);
  const name = (i: number): string => (i % 13 === 0 ? `@s/p${i}` : `p${i}`);
  const packages: Record<string, unknown> = {};
  const rootDeps: Record<string, string> = {};
  for (let i = 0; i < 2500; i++) {
    let loc = `node_modules/${name(r(300))}`;
    for (let d = r(3); d > 0; d--) loc += `/node_modules/${name(r(300))}`;
    const dependencies: Record<string, string> = {};
    for (let k = r(4); k > 0; k--) dependencies[name(r(300))] = '*';
    packages[loc] = { version: `${r(3)}.${r(2)}.0${r(5) === 0 ? '-rc.1' : ''}`, dependencies };
    if (!loc.includes('/node_modules/') && r(3) === 0) rootDeps[loc.slice('node_modules/'.length)] = '*';
  }
  packages['packages/w'] = { name: 'w', dependencies: { [name(7)]: '*', [name(8)]: '*' } };
  packages['node_modules/w'] = { resolved: 'packages/w', link: true };
  rootDeps['w'] = '*';
  return JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: rootDeps }, ...packages } }, null, 2);
}

const depth = (p: LockPackage): number => p.id.split('node_modules/').length - 1;

describe('diffLockfiles at scale', () => {
  it.each([1, 2])('a new lockfile: every fact of every change checks out (seed %i)', (seed) => {
    const head = parseLockfile('package-lock.json', generate(seed));
    const changes = diffLockfiles(null, head);

    // one `added` per (name, version), sorted by name then version
    const expected = [...new Set(head.packages.map((p) => JSON.stringify([p.name, p.version])))]
      .map((k) => JSON.parse(k) as [string, string])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : compareVersions(a[1], b[1])));
    expect(changes.map((c) => [c.name, c.to])).toEqual(expected);
    expect(changes.every((c) => c.kind === 'added' && c.from === null && !c.nameInBase)).toBe(true);

    // independent BFS over ids from the importers' direct dependencies
    const byId = new Map(head.packages.map((p) => [p.id, p]));
    const dist = new Map<string, number>();
    const direct = new Map<string, string[]>();
    let frontier: string[] = [];
    for (const imp of head.importers) {
      for (const d of imp.deps) {
        if (!byId.has(d)) continue;
        const list = direct.get(d) ?? [];
        if (!list.includes(imp.path)) list.push(imp.path);
        direct.set(d, list);
        if (!dist.has(d)) {
          dist.set(d, 0);
          frontier.push(d);
        }
      }
    }
    for (let level = 1; frontier.length > 0; level++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const d of byId.get(id)!.deps) {
          if (byId.has(d) && !dist.has(d)) {
            dist.set(d, level);
            next.push(d);
          }
        }
      }
      frontier = next;
    }

    const byName = new Map<string, LockPackage[]>();
    for (const p of head.packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    let indirect = 0;
    for (const c of changes) {
      const copies = byName.get(c.name)!.filter((p) => p.version === c.to);
      // the shallowest copy, then the first in the file
      const best = [...copies].sort((a, b) => depth(a) - depth(b) || a.line - b.line)[0]!;
      expect(c.head).toBe(best);
      expect(c.line).toBe(best.line);
      const importers = [...new Set(copies.flatMap((p) => direct.get(p.id) ?? []))].sort();
      expect(c.directOf).toEqual(importers);
      expect(c.direct).toBe(importers.length > 0);
      const reached = copies.map((p) => dist.get(p.id)).filter((d): d is number => d !== undefined);
      if (c.direct || reached.length === 0) {
        expect(c.via).toEqual([]);
        continue;
      }
      indirect++;
      // as short as the nearest copy, and a real path down to a copy
      expect(c.via).toHaveLength(Math.min(...reached));
      let at = byName.get(c.via[0]!)!.filter((p) => dist.get(p.id) === 0);
      for (const step of c.via.slice(1)) at = byName.get(step)!.filter((p) => at.some((q) => q.deps.includes(p.id)));
      expect(at.some((q) => copies.some((p) => q.deps.includes(p.id)))).toBe(true);
    }
    expect(indirect).toBeGreaterThan(50);
  });

  it('against itself, then with one version moved: only that change', () => {
    const text = generate(3);
    const base = parseLockfile('package-lock.json', text);
    expect(diffLockfiles(base, parseLockfile('package-lock.json', text))).toEqual([]);
    const target = base.packages.find((p) => p.version === '1.1.0' && !p.id.includes('/node_modules/'))!;
    const moved = text.replace(`"${target.id}": {\n      "version": "1.1.0"`, `"${target.id}": {\n      "version": "9.0.0"`);
    expect(moved).not.toBe(text);
    const changes = diffLockfiles(base, parseLockfile('package-lock.json', moved));
    const others = base.packages.filter((p) => p.name === target.name && p.version === '1.1.0' && p !== target);
    if (others.length === 0) {
      expect(changes.map((c) => [c.name, c.from, c.to, c.kind])).toEqual([[target.name, '1.1.0', '9.0.0', 'upgraded']]);
    } else {
      expect(changes.map((c) => [c.name, c.from, c.to, c.kind])).toEqual([[target.name, null, '9.0.0', 'added']]);
    }
  });
});
