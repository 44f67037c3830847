/**
 * What `npm pack` would publish: the compiled app, and none of the test support (the fake GitHub,
 * the fixture registry and index, the hostile registries), which lives in test-support/.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** The paths `npm pack --dry-run` lists, scripts off (the test reads the tree as `npm test` built it). */
async function packedPaths(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack!.files.map((f) => f.path);
}

/** Names that only test support carries: fixture servers, fakes, hostile registries, the demo. */
const TEST_SUPPORT = /(^|\/)(demo|test-support|dist-support)(\/|$)|fake-|fixture-|hostile|openapi-validate/;

describe('npm pack', () => {
  let paths: string[];
  beforeAll(async () => {
    paths = await packedPaths();
  }, 60_000);

  it('packs the built CLI and App (so the checks below look at a real build)', () => {
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'dist/cli/bin.js', 'dist/github/main.js', 'dist/core/review.js']));
  });

  it('packs no fixture server, fake or hostile registry', () => {
    expect(paths.filter((p) => TEST_SUPPORT.test(p))).toEqual([]);
  });

  it('packs no source, test or example', () => {
    expect(paths.filter((p) => /^(src|test|examples|bench|scripts)\//.test(p) || /\.ts$/.test(p))).toEqual([]);
  });
});
