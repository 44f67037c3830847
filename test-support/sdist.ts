/**
 * Deterministic source distributions (`.tar.gz`) for the fixture package index.
 *
 * An sdist is `<name>-<ver>/` holding `PKG-INFO` (core metadata), `pyproject.toml` with a
 * `[build-system]` table, the package's `__init__.py`, and optionally a `setup.py` — the build code
 * an installer runs when no wheel fits. The tar is the ustar writer of `tarball.ts`; the gzip member
 * uses the deterministic deflate of `wheel.ts`, so the bytes (and the sha256 in lockfiles) depend
 * only on the contents.
 */
import { createTar, crc32, type TarEntry } from './tarball.js';
import { coreMetadataText, deflateRawFixed, escapeDistName, type CoreMetadata } from './wheel.js';

/** The mtime written into sdist tar headers: 2020-02-02T00:00:00Z (any fixed value would do). */
export const SDIST_MTIME = 1580601600;

/** A gzip member (RFC 1952) around {@link deflateRawFixed}: mtime 0, no name, OS "unknown". */
export function gzipDeterministic(data: Buffer): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  return Buffer.concat([header, deflateRawFixed(data), trailer]);
}

export interface SdistSpec extends CoreMetadata {
  importName?: string;
  /** `build-backend` of pyproject.toml (default `setuptools.build_meta`). */
  buildBackend?: string;
  /** `requires` of `[build-system]` (default `["setuptools>=61"]`). */
  buildRequires?: readonly string[];
  /** Ship a `setup.py` (a harmless `setup()` call). */
  setupPy?: boolean;
  /** Extra files by path relative to the sdist's top directory. */
  extraFiles?: ReadonlyMap<string, string>;
}

export interface BuiltSdist {
  filename: string;
  bytes: Buffer;
  /** PKG-INFO */
  metadata: Buffer;
  /** Member paths in archive order. */
  members: string[];
}

/** `name-1.0.tar.gz` (PEP 625 spelling of the name). */
export function sdistFileName(name: string, version: string): string {
  return `${escapeDistName(name)}-${version}.tar.gz`;
}

function tomlString(s: string): string {
  return JSON.stringify(s); // a TOML basic string is a JSON string for the characters used here
}

/** Builds one sdist. The same spec always gives the same bytes. */
export function buildSdist(spec: SdistSpec): BuiltSdist {
  const top = `${escapeDistName(spec.name)}-${spec.version}`;
  const pkg = spec.importName ?? escapeDistName(spec.name);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(pkg)) throw new RangeError(`not an import name: ${pkg}`);
  const metadata = Buffer.from(coreMetadataText(spec), 'utf8');
  const backend = spec.buildBackend ?? 'setuptools.build_meta';
  const requires = spec.buildRequires ?? ['setuptools>=61'];
  const pyproject = [
    '[build-system]',
    `requires = [${requires.map(tomlString).join(', ')}]`,
    `build-backend = ${tomlString(backend)}`,
    '',
    '[project]',
    `name = ${tomlString(spec.name)}`,
    `version = ${tomlString(spec.version)}`,
    ...(spec.summary ? [`description = ${tomlString(spec.summary)}`] : []),
    ...(spec.requiresPython ? [`requires-python = ${tomlString(spec.requiresPython)}`] : []),
    `dependencies = [${(spec.requiresDist ?? []).map(tomlString).join(', ')}]`,
    '',
  ].join('\n');
  const files = new Map<string, string | Buffer>();
  files.set('PKG-INFO', metadata);
  files.set('pyproject.toml', pyproject);
  if (spec.setupPy) {
    files.set('setup.py', '# lockwarden fixture: a plain setup() call, nothing else.\nfrom setuptools import setup\n\nsetup()\n');
  }
  files.set(`${pkg}/__init__.py`, `"""${spec.name} ${spec.version}: lockwarden fixture stand-in. It does nothing."""\n__version__ = "${spec.version}"\n`);
  for (const [path, content] of spec.extraFiles ?? []) {
    if (!path || path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '' || s === '.')) {
      throw new RangeError(`sdist file path not allowed: ${path}`);
    }
    files.set(path, content);
  }
  const entries: TarEntry[] = [...files].map(([path, content]) => ({ path: `${top}/${path}`, content, mode: 0o644 }));
  return {
    filename: sdistFileName(spec.name, spec.version),
    bytes: gzipDeterministic(createTar(entries, SDIST_MTIME)),
    metadata,
    members: entries.map((e) => e.path),
  };
}
