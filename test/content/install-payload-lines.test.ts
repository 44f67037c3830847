/** install-script-payload evidence names the lines the new version added to the install target, not [1, 1]. */
import { analyseContents } from '../../src/content/index.js';
import { archive, manifest } from './builders.js';

const scripts = { scripts: { install: 'node install.js' } };
const install = ["'use strict';", "const os = require('os');", "if (os.platform() === 'win32') console.log('windows');", ''].join('\n');

describe('install-script-payload lines', () => {
  it('spans the added lines of a changed install target', () => {
    const evil = `${install}const cp = require('child_process');\ncp.spawn('rundll32', ['x.dll,main']);\n`;
    const before = archive('p', '1.0.0', { 'package.json': manifest('p', '1.0.0', scripts), 'install.js': install });
    const after = archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1', scripts), 'install.js': evil });
    const f = analyseContents(before, after).findings.find((x) => x.signal === 'install-script-payload');
    expect(f?.evidence.lines).toEqual([4, 5]);
    expect(f?.evidence.excerpt.split('\n')[0]).toBe('@@ -1,3 +1,5 @@');
  });

  it('spans the whole file when the install target is new', () => {
    const before = archive('p', '1.0.0', { 'package.json': manifest('p', '1.0.0') });
    const after = archive('p', '1.0.1', { 'package.json': manifest('p', '1.0.1', scripts), 'install.js': install });
    expect(analyseContents(before, after).findings.find((x) => x.signal === 'install-script-payload')?.evidence.lines).toEqual([1, 3]);
  });
});
