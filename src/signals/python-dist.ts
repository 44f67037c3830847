/**
 * Pure helpers for Python distributions: wheel file names, platform tags, and the start-up hooks a
 * wheel can install (`.pth` files and `sitecustomize`/`usercustomize` modules, which Python runs at
 * every interpreter start, with no import needed).
 */
import type { DistFile, VersionMeta, WheelListing } from '../model/index.js';

/** The tags of a wheel file name (`{name}-{ver}(-{build})?-{python}-{abi}-{platform}.whl`, PEP 427). */
export interface WheelTags {
  python: string[];
  abi: string[];
  platform: string[];
}

export function wheelTags(filename: string): WheelTags | null {
  if (!filename.toLowerCase().endsWith('.whl')) return null;
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [py, abi, plat] = parts.slice(-3) as [string, string, string];
  return { python: py.split('.'), abi: abi.split('.'), platform: plat.split('.') };
}

/**
 * The platforms a release has wheels for: `any` for pure-Python wheels, else the platform tags
 * (`manylinux_2_17_x86_64`, `win_amd64`, `macosx_11_0_arm64`…). Yanked files are left out.
 */
export function wheelPlatforms(files: readonly DistFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    if (f.kind !== 'wheel' || f.yanked) continue;
    const t = wheelTags(f.filename);
    if (t) for (const p of t.platform) out.add(p.toLowerCase());
  }
  return out;
}

/**
 * A platform family, so that a newer manylinux/macOS baseline is the same platform as an older
 * one: `manylinux_2_28_x86_64` and `manylinux2014_x86_64` → `linux_x86_64`, `macosx_11_0_arm64` → `macosx_arm64`.
 */
export function platformFamily(tag: string): string {
  const t = tag.toLowerCase();
  let m = /^(?:many|musl)linux(?:_\d+_\d+|1|2010|2014)_(.+)$/.exec(t);
  if (m) return `${t.startsWith('musl') ? 'musllinux' : 'linux'}_${m[1]}`;
  m = /^macosx_\d+_\d+_(.+)$/.exec(t);
  if (m) return `macosx_${m[1]}`;
  return t;
}

export function hasSdist(files: readonly DistFile[]): boolean {
  return files.some((f) => f.kind === 'sdist' && !f.yanked);
}

/** A start-up hook inside a wheel, and where it installs. */
export interface StartupHook {
  /** The archive member (`litellm_init.pth`, `pkg-1.0.data/purelib/x.pth`). */
  member: string;
  /** The name it gets in site-packages. */
  installedAs: string;
}

const HOOK_MODULES = new Set(['sitecustomize.py', 'usercustomize.py']);

/**
 * Members that land at the top of site-packages and run at interpreter start: `*.pth` files (the
 * site module executes their `import` lines) and `sitecustomize.py`/`usercustomize.py`. A wheel's
 * root is installed into site-packages, and so are `<name>.data/purelib/` and `.data/platlib/`.
 */
export function startupHooks(members: readonly string[]): StartupHook[] {
  const out: StartupHook[] = [];
  for (const raw of members) {
    const member = raw.replace(/\\/g, '/');
    let rel = member;
    const m = /^[^/]+\.data\/(?:purelib|platlib)\/(.+)$/.exec(member);
    if (m) rel = m[1] as string;
    else if (/^[^/]+\.data\//.test(member)) continue; // scripts/headers/data: not site-packages
    if (rel.includes('/') || rel === '') continue;
    const lower = rel.toLowerCase();
    if (lower.endsWith('.pth') || HOOK_MODULES.has(lower)) out.push({ member, installedAs: rel });
  }
  return out;
}

/** Hooks of every listed wheel of a release, by installed name (first wheel that has it). */
export function hooksOf(listings: readonly WheelListing[]): Map<string, { member: string; wheel: string }> {
  const out = new Map<string, { member: string; wheel: string }>();
  for (const l of listings) {
    for (const h of startupHooks(l.members)) {
      const key = h.installedAs.toLowerCase();
      if (!out.has(key)) out.set(key, { member: h.member, wheel: l.filename });
    }
  }
  return out;
}

/** At most this many wheels of one release are listed (numpy-like projects ship 40+ wheels). */
export const MAX_WHEELS_PER_RELEASE = 12;

/**
 * The wheels of a release worth listing: one per distinct platform family first (a payload added to
 * only one platform's wheel is still seen), then the rest, up to {@link MAX_WHEELS_PER_RELEASE}.
 */
export function wheelsToList(meta: VersionMeta | undefined): DistFile[] {
  const wheels = (meta?.files ?? []).filter((f) => f.kind === 'wheel' && !f.yanked);
  const seen = new Set<string>();
  const first: DistFile[] = [];
  const rest: DistFile[] = [];
  for (const w of wheels) {
    const tags = wheelTags(w.filename);
    const fam = (tags?.platform ?? ['?']).map(platformFamily).sort().join('.');
    const key = `${fam}|${(tags?.abi ?? []).join('.')}`;
    (seen.has(key) ? rest : first).push(w);
    seen.add(key);
  }
  return [...first, ...rest].slice(0, MAX_WHEELS_PER_RELEASE);
}
