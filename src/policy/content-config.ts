/**
 * The `content:` section of the config (issue 14): whether archives are gathered and their caps.
 * Sizes take bytes or `KiB`/`MiB`/`GiB`; the time budget takes ms or `s`/`m`.
 */
import { z } from 'zod';

export interface ContentConfig {
  /** Gather and analyse package archives (default true). */
  enabled: boolean;
  /** Largest compressed archive downloaded (default 32 MiB, at most 1 GiB). */
  maxArchiveBytes: number;
  /** Most bytes after decompression (default 128 MiB, at most 4 GiB). */
  maxUnpackedBytes: number;
  /** Most archive members (default 20 000, at most 1 000 000). */
  maxFiles: number;
  /** Time for one package's archives, on top of the review deadline (default 10 s, 100 ms to 10 min). */
  timeBudgetMs: number;
}

const KiB = 1024;
const MiB = KiB * KiB;
const GiB = MiB * KiB;

export const DEFAULT_CONTENT_CONFIG: Readonly<ContentConfig> = Object.freeze({
  enabled: true,
  maxArchiveBytes: 32 * MiB,
  maxUnpackedBytes: 128 * MiB,
  maxFiles: 20_000,
  timeBudgetMs: 10_000,
});

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kib: KiB, kb: 1000, mib: MiB, mb: 1000 * 1000, gib: GiB, gb: 1000 ** 3 };

/** `32MiB`, `500 KB`, `1048576` → bytes; undefined when unreadable. */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  const m = /^(\d{1,13}(?:\.\d{1,3})?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : undefined;
}

/** `10s`, `500ms`, `2m`, `10000` (ms) → ms; undefined when unreadable. */
export function parseMs(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  const m = /^(\d{1,9}(?:\.\d{1,3})?)\s*(ms|s|m)?$/.exec(v.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1));
}

const bounded = (parse: (v: string | number) => number | undefined, min: number, max: number, what: string) =>
  z.union([z.number(), z.string().max(40)]).refine(
    (v) => {
      const n = parse(v);
      return n !== undefined && n >= min && n <= max;
    },
    { message: `expected ${what} between ${min} and ${max}` },
  );

export const contentSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    maxArchiveBytes: bounded(parseSize, KiB, GiB, 'a size (bytes, KiB, MiB, GiB)').optional(),
    maxUnpackedBytes: bounded(parseSize, MiB, 4 * GiB, 'a size (bytes, KiB, MiB, GiB)').optional(),
    maxFiles: z.number().int().min(1).max(1_000_000).optional(),
    timeBudget: bounded(parseMs, 100, 600_000, 'a duration in ms (500ms, 10s, 2m)').optional(),
    /** The name for the same key, in ms; a file gives one of the two. */
    timeBudgetMs: bounded(parseMs, 100, 600_000, 'a duration in ms (500ms, 10s, 2m)').optional(),
  })
  .refine((c) => c.timeBudget === undefined || c.timeBudgetMs === undefined, {
    message: 'give timeBudget or timeBudgetMs, not both',
    path: ['timeBudgetMs'],
  })
  .optional();

/** A layer's `content:` over the settings before it, key by key. */
export function mergeContent(into: ContentConfig, raw: z.infer<typeof contentSchema>): void {
  if (!raw) return;
  if (raw.enabled !== undefined) into.enabled = raw.enabled;
  if (raw.maxArchiveBytes !== undefined) into.maxArchiveBytes = parseSize(raw.maxArchiveBytes)!;
  if (raw.maxUnpackedBytes !== undefined) into.maxUnpackedBytes = parseSize(raw.maxUnpackedBytes)!;
  if (raw.maxFiles !== undefined) into.maxFiles = raw.maxFiles;
  const budget = raw.timeBudget ?? raw.timeBudgetMs;
  if (budget !== undefined) into.timeBudgetMs = parseMs(budget)!;
}

/**
 * The App: a repository may lower the caps or switch content off, never raise a cap above the
 * operator's defaults (they bound the App's memory and time). Returns the names of the keys lowered back.
 */
export function clampContent(c: ContentConfig, ceiling: Readonly<ContentConfig> = DEFAULT_CONTENT_CONFIG): string[] {
  const clamped: string[] = [];
  for (const k of ['maxArchiveBytes', 'maxUnpackedBytes', 'maxFiles', 'timeBudgetMs'] as const) {
    if (c[k] > ceiling[k]) {
      c[k] = ceiling[k];
      clamped.push(k);
    }
  }
  return clamped;
}
