/**
 * A registry-shaped tarball URL on another host than the registry's (or over plain http) is another
 * source, in every JS lockfile format: the package now downloads from that host. Hand-edited variants
 * of the real axios lockfiles; the URLs are data and never fetched.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lockPath, review, reviewEditedHead, scenarioNow } from './format-review.js';

const FILES: Record<string, string> = { npm: 'package-lock.json', 'yarn-v1': 'yarn.lock', 'yarn-berry': 'yarn.lock', pnpm: 'pnpm-lock.yaml', bun: 'bun.lock' };
const TGZ = 'form-data/-/form-data-4.0.5.tgz';

/** The head lockfile with form-data's tarball moved to `origin` (same path shape, same integrity). */
function moveFormData(format: string, text: string, origin: string): string {
  switch (format) {
    case 'npm':
    case 'bun':
      return text.replace(`http://127.0.0.1:48730/${TGZ}`, `${origin}/${TGZ}`);
    case 'yarn-v1':
      return text.replace(`"http://127.0.0.1:48730/${TGZ}#`, `"${origin}/${TGZ}#`);
    case 'yarn-berry':
      return text.replace('resolution: "form-data@npm:4.0.5"', `resolution: "form-data@${origin}/${TGZ}"`);
    case 'pnpm':
      return text.replace(/(form-data@4\.0\.5:\n {4}resolution: \{)(integrity: [^}]+)\}/, `$1$2, tarball: ${origin}/${TGZ}}`);
    default:
      throw new Error(format);
  }
}

async function reviewMoved(format: string, origin: string) {
  const report = await reviewEditedHead(format, FILES[format]!, (head) => moveFormData(format, head, origin));
  return report.changes.find((c) => c.name === 'form-data');
}

describe.each(Object.keys(FILES))('%s: a tarball on another host', (format) => {
  it('is a high non-registry-source naming the host, with the URL without credentials', async () => {
    const c = await reviewMoved(format, 'https://user:s3cret@registry.attacker.example');
    expect(c).toBeDefined();
    const f = (c!.findings as Array<{ signal: string; severity: string; message: string; evidence: Record<string, unknown> }>).find(
      (x) => x.signal === 'non-registry-source',
    );
    expect(f).toMatchObject({ severity: 'high', evidence: { host: 'registry.attacker.example', foreignHost: true, plainHttp: false } });
    expect(f!.message).toContain('registry.attacker.example');
    expect(JSON.stringify(f)).not.toContain('s3cret');
    expect(c!.severity).toBe('high');
  });

  it('over plain http on an unknown host is high and says so', async () => {
    const c = await reviewMoved(format, 'http://files.attacker.example');
    const f = (c!.findings as Array<{ signal: string; severity: string; evidence: Record<string, unknown> }>).find((x) => x.signal === 'non-registry-source');
    expect(f).toMatchObject({ severity: 'high', evidence: { host: 'files.attacker.example', plainHttp: true } });
  });
});

describe('the registry own host', () => {
  it('stays a registry source: the unchanged fixture lockfiles give no host finding', async () => {
    for (const format of Object.keys(FILES)) {
      const { report } = await review(
        lockPath('axios', format, 'base', FILES[format]!),
        lockPath('axios', format, 'head', FILES[format]!),
        await scenarioNow('axios'),
      );
      for (const c of report.changes) expect(JSON.stringify(c.findings)).not.toContain('foreignHost');
    }
  });
});

describe('a new lockfile (no base side to trust)', () => {
  async function reviewNew(text: string) {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'lw-new-'));
    await writeFile(path.join(tmp, 'package-lock.json'), text);
    const { report } = await review('/dev/null', path.join(tmp, 'package-lock.json'), await scenarioNow('axios'));
    return report.changes.filter((c) => JSON.stringify(c.findings).includes('foreignHost'));
  }

  it('that names one registry throughout (the public default while the review reads a mirror) gives no host finding', async () => {
    const head = (await readFile(lockPath('axios', 'npm', 'head', 'package-lock.json'), 'utf8')).replaceAll(
      'http://127.0.0.1:48730/',
      'https://registry.npm.example/',
    );
    expect(await reviewNew(head)).toEqual([]);
  });

  it('still flags the one package that downloads from elsewhere', async () => {
    const head = (await readFile(lockPath('axios', 'npm', 'head', 'package-lock.json'), 'utf8'))
      .replaceAll('http://127.0.0.1:48730/', 'https://registry.npm.example/')
      .replace(`https://registry.npm.example/${TGZ}`, `https://registry.attacker.example/${TGZ}`);
    expect((await reviewNew(head)).map((c) => c.name)).toEqual(['form-data']);
  });
});
