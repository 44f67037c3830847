/**
 * A Pipfile.lock git entry whose locked commit did not change (pypa/pipenv's own history: the `git`
 * value lost its `git+` prefix and branch name, `ref` stayed 02f1ef…) is no "moved" git source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLockfiles } from '../../src/diff/index.js';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { nonRegistrySource, commitOf } from '../../src/signals/non-registry-source.js';
import { DEFAULT_SIGNAL_OPTIONS } from '../../src/signals/types.js';
import { corpusDir } from '../helpers/corpus.js';

const PAIR = join(corpusDir(), 'pipfile', 'pypa-pipenv-5b8d3f22ae');
const COMMIT = '02f1ef9383f6e91d51a0f011c34a5df4816897a0';

function pypiserver(base: string, head: string) {
  const changes = diffLockfiles(parseLockfile('Pipfile.lock', base), parseLockfile('Pipfile.lock', head));
  const c = changes.find((x) => x.name === 'pypiserver')!;
  return {
    c,
    findings: nonRegistrySource.run({
      change: c,
      packument: null,
      now: new Date(0),
      options: DEFAULT_SIGNAL_OPTIONS,
      provenance: new Map(),
      wheels: new Map(),
    }),
  };
}

describe('Pipfile.lock git entries', () => {
  const base = readFileSync(join(PAIR, 'base', 'Pipfile.lock'), 'utf8');
  const head = readFileSync(join(PAIR, 'head', 'Pipfile.lock'), 'utf8');

  it('both sides lock the ref, not the branch name in the git URL', () => {
    const { c } = pypiserver(base, head);
    expect(c.kind).toBe('source-changed'); // the spelling changed, as the oracle says
    expect(commitOf(c.base!.source.url)).toBe(COMMIT);
    expect(commitOf(c.head!.source.url)).toBe(COMMIT);
  });

  it('the same commit under another spelling of the repository URL is not reported as moved', () => {
    const { findings } = pypiserver(base, head);
    expect(findings).toEqual([]);
  });

  it('reads the commit of every git URL shape', () => {
    expect(commitOf(`git+https://example.test/x.git@${COMMIT}#subdirectory=pkg`)).toBe(COMMIT);
    expect(commitOf(`git+ssh://git@example.test/x.git#${COMMIT}`)).toBe(COMMIT);
    expect(commitOf(`x@https://example.test/x.git#commit=${COMMIT}`)).toBe(COMMIT);
    expect(commitOf('https://example.test/x.git')).toBeNull();
  });

  it('the same commit with another subdirectory is other code', () => {
    const sub = (t: string, dir: string) => t.replace(`"ref": "${COMMIT}"`, `"ref": "${COMMIT}",\n            "subdirectory": "${dir}"`);
    const { findings } = pypiserver(sub(base, 'a'), sub(head, 'b'));
    expect(findings[0]).toMatchObject({ severity: 'medium', evidence: { commitMoved: true, fromCommit: COMMIT, toCommit: COMMIT } });
  });
});
