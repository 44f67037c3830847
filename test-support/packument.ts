/**
 * Registry document helpers for the fixture registry: the abbreviated ("corgi") projection of a full
 * packument, and the install-script rule the registry uses for `hasInstallScript`.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

/** Media type of the abbreviated document, as npm asks for it in `Accept`. */
export const ABBREVIATED_MEDIA_TYPE = 'application/vnd.npm.install-v1+json';

/**
 * The fields each version keeps in the abbreviated document, in the registry's order. From the npm
 * registry's package-metadata documentation, plus the fields the registry has added since
 * (`hasInstallScript`, `deprecated`, `os`/`cpu`/`libc`, `funding`, `peerDependenciesMeta`,
 * `acceptDependencies`). Everything else (`scripts`, `_npmUser`, `maintainers`, `repository`,
 * `gitHead`, `readme`...) exists only in the full document.
 */
export const ABBREVIATED_VERSION_FIELDS: readonly string[] = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'acceptDependencies',
  'bin',
  'directories',
  'dist',
  'engines',
  'cpu',
  'os',
  'libc',
  'funding',
  '_hasShrinkwrap',
  'hasInstallScript',
];

/** Lifecycle scripts npm runs when a package is installed as a dependency. */
export const INSTALL_SCRIPT_NAMES: readonly string[] = ['preinstall', 'install', 'postinstall'];

export function isObject(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own, string-valued property lookup that never walks the prototype chain. */
function own(obj: JsonObject, key: string): Json {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * The registry's rule: a version "has an install script" when its manifest defines a non-empty
 * `preinstall`, `install` or `postinstall`, or declares `gypfile: true` (npm then runs an implicit
 * `node-gyp rebuild`).
 */
export function computeHasInstallScript(manifest: JsonObject): boolean {
  if (own(manifest, 'hasInstallScript') === true) return true;
  if (own(manifest, 'gypfile') === true) return true;
  const scripts = own(manifest, 'scripts');
  if (!isObject(scripts)) return false;
  return INSTALL_SCRIPT_NAMES.some((name) => {
    const s = own(scripts, name);
    return typeof s === 'string' && s.trim() !== '';
  });
}

/** The abbreviated projection of one full version manifest. */
export function abbreviateVersion(manifest: JsonObject): JsonObject {
  const out: JsonObject = {};
  const withFlag: JsonObject = { ...manifest };
  if (computeHasInstallScript(manifest)) withFlag['hasInstallScript'] = true;
  else delete withFlag['hasInstallScript'];
  for (const field of ABBREVIATED_VERSION_FIELDS) {
    const v = own(withFlag, field);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/**
 * The abbreviated document the registry derives from a full packument: top-level `name`,
 * `dist-tags`, `modified` (from `time.modified`) and `versions`, each version reduced to
 * {@link ABBREVIATED_VERSION_FIELDS}. Versions are keyed in a null-prototype object.
 */
export function abbreviatePackument(full: JsonObject): JsonObject {
  const versionsIn = own(full, 'versions');
  const versions: JsonObject = Object.create(null) as JsonObject;
  if (isObject(versionsIn)) {
    for (const [version, manifest] of Object.entries(versionsIn)) {
      if (isObject(manifest)) versions[version] = abbreviateVersion(manifest);
    }
  }
  const out: JsonObject = { name: own(full, 'name') };
  const tags = own(full, 'dist-tags');
  out['dist-tags'] = isObject(tags) ? tags : {};
  const time = own(full, 'time');
  const modified = isObject(time) ? own(time, 'modified') : undefined;
  if (typeof modified === 'string') out['modified'] = modified;
  out['versions'] = versions;
  return out;
}
