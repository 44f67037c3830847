/** Tar members the fixture writer does not make (links, devices), for hostile-archive tests. */
import { gzipSync } from 'node:zlib';
import { createTar, type TarEntry } from '../../test-support/tarball.js';

export interface HostileEntry extends TarEntry {
  /** The typeflag byte: '0' file, '1' hard link, '2' symlink, '3' char device, '6' fifo. */
  type?: string;
  link?: string;
}

/** A ustar archive like createTar's, with typeflags and link names patched in (checksums redone). */
export function hostileTar(entries: readonly HostileEntry[]): Buffer {
  const tar = createTar(entries.map((e) => ({ ...e, content: e.type && e.type !== '0' ? '' : e.content })));
  let offset = 0;
  for (const e of entries) {
    const size = e.type && e.type !== '0' ? 0 : Buffer.byteLength(typeof e.content === 'string' ? e.content : e.content);
    if (e.type) {
      tar.write(e.type, offset + 156, 1, 'ascii');
      if (e.link) tar.write(e.link, offset + 157, 100, 'ascii');
      tar.fill(0x20, offset + 148, offset + 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += tar[offset + i]!;
      tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, offset + 148, 8, 'ascii');
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return tar;
}

export function hostileTgz(entries: readonly HostileEntry[]): Buffer {
  return gzipSync(hostileTar(entries));
}
