/**
 * The content signal passes the release context to the detectors: the same archives (cached across
 * reviews) are high when the registry says the patch came from the same account, and keep their own
 * severity when another registry document says another account published it.
 */
import type { ArchiveContents, Change, Packument, SignalInput, VersionMeta } from '../../src/model/index.js';
import { newCapability } from '../../src/signals/content.js';
import { DEFAULT_SIGNAL_OPTIONS } from '../../src/signals/types.js';
import { archive, manifest, readableModule } from '../content/builders.js';

const lib = readableModule('cfg', 8);
const stealer = `${lib}const rc = require('fs').readFileSync(require('os').homedir() + '/.npmrc', 'utf8');\n`;
const before = archive('p', '1.0.0', { 'package.json': manifest('p', '1.0.0'), 'index.js': "require('./lib/c.js');\n", 'lib/c.js': lib });
const after = archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1'), 'index.js': "require('./lib/c.js');\n", 'lib/c.js': stealer });

function input(publishers: [string, string]): SignalInput {
  const meta = (version: string, user: string) => ({ version, scripts: {}, manifestName: 'p', npmUser: { name: user } }) as unknown as VersionMeta;
  const packument: Packument = {
    name: 'p',
    versions: new Map([
      ['1.0.0', meta('1.0.0', publishers[0])],
      ['1.0.1', meta('1.0.1', publishers[1])],
    ]),
    distTags: new Map(),
    abbreviated: false,
  };
  const change = {
    ecosystem: 'npm',
    name: 'p',
    from: '1.0.0',
    to: '1.0.1',
    kind: 'upgraded',
    lockfile: 'package-lock.json',
    line: 1,
    direct: true,
    directOf: [''],
    via: [],
    nameInBase: true,
  } as Change;
  const contents = new Map<string, ArchiveContents>([
    ['1.0.1', after],
    ['1.0.0', before],
  ]);
  return { change, packument, now: new Date(), options: DEFAULT_SIGNAL_OPTIONS, provenance: new Map(), wheels: new Map(), contents };
}

describe('new-capability with the release context', () => {
  it('is high for a same-account patch and medium for another account, over the same archive objects', () => {
    expect(newCapability.run(input(['alice', 'alice'])).map((f) => f.severity)).toEqual(['high']);
    expect(newCapability.run(input(['alice', 'mallory'])).map((f) => f.severity)).toEqual(['medium']);
    expect(newCapability.run(input(['alice', 'alice'])).map((f) => f.severity)).toEqual(['high']);
  });
});
