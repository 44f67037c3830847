/**
 * A local directory of OSV JSON records (air-gapped installations; e.g. a checkout of the OpenSSF
 * malicious-packages data, `osv/malicious/npm/<name>/MAL-….json`). Read once per process into an index
 * by ecosystem and normalised name, bounded in files, bytes and depth; a bad file is skipped and counted.
 * Symbolic links are followed only when they stay inside the directory.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { advisoryKey, type Advisory, type AdvisoryQuery, type Ecosystem } from '../../model/index.js';
import { normalizeName } from '../../versions/index.js';
import { isWithin } from '../config-shared.js';
import { parseOsvRecord, type OsvRecord } from './osv-schema.js';
import { advisoryFromOsv } from './records.js';
import type { SourceAnswer, SourceClient } from './source.js';

export const LOCAL_LIMITS = { maxFiles: 1_000_000, maxFileBytes: 1024 * 1024, maxDepth: 12 };

const ECOSYSTEMS: Record<string, Ecosystem> = { npm: 'npm', PyPI: 'pypi' };

export interface LocalIndex {
  records: Map<string, OsvRecord[]>;
  files: number;
  /** Files skipped: unreadable, not JSON, not an OSV record, too large. */
  bad: number;
  /** Set when a limit stopped the walk. */
  truncated?: string;
}

export class LocalDirSource implements SourceClient {
  readonly name = 'local' as const;
  readonly network = false;
  private index: Promise<LocalIndex> | undefined;

  constructor(
    readonly directory: string,
    private readonly limits = LOCAL_LIMITS,
  ) {}

  load(): Promise<LocalIndex> {
    return (this.index ??= loadIndex(this.directory, this.limits));
  }

  async lookup(queries: readonly AdvisoryQuery[]): Promise<SourceAnswer> {
    let index: LocalIndex;
    try {
      index = await this.load();
    } catch (e) {
      this.index = undefined; // a directory that appears later is read at the next review
      return {
        results: new Map(),
        dropped: 0,
        gap: { reason: `advisory directory not readable: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, packages: queries.length },
      };
    }
    const results = new Map<string, Advisory[]>();
    for (const q of queries) {
      const records = index.records.get(`${q.ecosystem}:${normalizeName(q.ecosystem, q.name)}`) ?? [];
      results.set(
        advisoryKey(q),
        records.flatMap((r) => advisoryFromOsv(r, 'local', q) ?? []),
      );
    }
    const answer: SourceAnswer = { results, dropped: index.bad };
    if (index.truncated) answer.gap = { reason: index.truncated, packages: 0 };
    return answer;
  }
}

async function loadIndex(directory: string, limits: typeof LOCAL_LIMITS): Promise<LocalIndex> {
  const root = await realpath(directory);
  const index: LocalIndex = { records: new Map(), files: 0, bad: 0 };
  const seen = new Set<string>();
  await walk(root, root, 0, index, limits, seen);
  return index;
}

async function walk(root: string, dir: string, depth: number, index: LocalIndex, limits: typeof LOCAL_LIMITS, seen: Set<string>): Promise<void> {
  if (depth > limits.maxDepth || seen.has(dir)) return;
  seen.add(dir);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (index.truncated) return;
    let full = path.join(dir, e.name);
    if (e.isSymbolicLink()) {
      const real = await realpath(full).catch(() => undefined);
      if (real === undefined || !isWithin(root, real)) continue; // a link leaving the directory is not followed
      full = real;
    }
    const st = await lstat(full).catch(() => undefined);
    if (st?.isDirectory()) await walk(root, full, depth + 1, index, limits, seen);
    else if (st?.isFile() && e.name.endsWith('.json')) {
      if (++index.files > limits.maxFiles) {
        index.truncated = `advisory directory has more than ${limits.maxFiles} files: the rest were not read`;
        return;
      }
      await readRecord(full, st.size, index, limits);
    }
  }
}

async function readRecord(file: string, size: number, index: LocalIndex, limits: typeof LOCAL_LIMITS): Promise<void> {
  if (size > limits.maxFileBytes) {
    index.bad++;
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    index.bad++;
    return;
  }
  const { record } = parseOsvRecord(value);
  if (!record) {
    index.bad++;
    return;
  }
  // indexed under each package it names (once per package)
  const keys = new Set(
    record.affected.flatMap((a) => (ECOSYSTEMS[a.ecosystem] ? [`${ECOSYSTEMS[a.ecosystem]}:${normalizeName(ECOSYSTEMS[a.ecosystem]!, a.name)}`] : [])),
  );
  for (const k of keys) {
    const list = index.records.get(k);
    if (list) list.push(record);
    else index.records.set(k, [record]);
  }
}
