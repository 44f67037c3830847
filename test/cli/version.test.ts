/**
 * `lockwarden --version` is package.json's version, read when the CLI runs: from the source, the
 * built binary and the packed package (whose package.json is changed here, so a version written into
 * the code would show).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';

const exec = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

async function runMain(args: string[]): Promise<string> {
  let stdout = '';
  await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {}, cwd: root });
  return stdout;
}

it('--version and --help show package.json’s version', async () => {
  expect(await runMain(['--version'])).toBe(`${pkg.version}\n`);
  expect((await runMain(['--help'])).split('\n')[0]).toBe(`lockwarden ${pkg.version} — review a lockfile change for supply-chain risk`);
});

it('the built binary prints package.json’s version', async () => {
  const { stdout } = await exec('node', [path.join(root, 'dist', 'cli', 'bin.js'), '--version']);
  expect(stdout).toBe(`${pkg.version}\n`);
});

describe('the packed package', () => {
  let tmp: string;
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('prints the version its own package.json holds', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lw-version-'));
    const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const { filename } = (JSON.parse(stdout) as Array<{ filename: string }>)[0]!;
    await exec('tar', ['-xzf', path.join(tmp, filename), '-C', tmp]);
    const unpacked = path.join(tmp, 'package');
    // The dependencies, as an install would provide them; the package itself is only what was packed.
    await symlink(path.join(root, 'node_modules'), path.join(unpacked, 'node_modules'));
    const packedPkg = JSON.parse(await readFile(path.join(unpacked, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
    expect(packedPkg.version).toBe(pkg.version);
    packedPkg.version = '99.1.2-version-test';
    await writeFile(path.join(unpacked, 'package.json'), JSON.stringify(packedPkg));
    const run = await exec('node', [path.join(unpacked, packedPkg.bin['lockwarden']!), '--version'], { cwd: tmp });
    expect(run.stdout).toBe('99.1.2-version-test\n');
  }, 60_000);
});
