/**
 * A local directory of OSV JSON records (air-gapped installations; e.g. a checkout of the OpenSSF
 * malicious-packages data, `osv/malicious/npm/<name>/MAL-….json`). Read once per process into an index
 * by ecosystem and normalised name, bounded in files, bytes and depth; a bad file is skipped and counted.
 * Symbolic links are followed only when they stay inside the directory.
 */
import { lstat, open, readdir, realpath } from 'node:fs/promises';
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

/** Parallel reads: a checkout of the malicious-packages data is a few hundred thousand small files. */
const CONCURRENCY = 32;

async function loadIndex(directory: string, limits: typeof LOCAL_LIMITS): Promise<LocalIndex> {
  const root = await realpath(directory);
  const index: LocalIndex = { records: new Map(), files: 0, bad: 0 };
  const seen = new Set<string>([root]);
  // a work list of directories and files, drained by CONCURRENCY workers
  const work: { path: string; depth: number; dir: boolean }[] = [{ path: root, depth: 0, dir: true }];
  let active = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (active < CONCURRENCY && work.length && !index.truncated) {
        const item = work.pop()!;
        active++;
        const job = item.dir ? listDir(root, item, limits, seen, work, index) : readRecord(item.path, index, limits);
        // a failure reading one entry is a bad file, never the whole directory
        void job
          .catch(() => {
            index.bad++;
          })
          .finally(() => {
            active--;
            pump();
          });
      }
      if (active === 0 && (work.length === 0 || index.truncated)) resolve();
    };
    pump();
  });
  return index;
}

/** Queues a directory's entries: subdirectories within the depth limit, `.json` files within the file limit. */
async function listDir(
  root: string,
  item: { path: string; depth: number },
  limits: typeof LOCAL_LIMITS,
  seen: Set<string>,
  work: { path: string; depth: number; dir: boolean }[],
  index: LocalIndex,
): Promise<void> {
  const entries = await readdir(item.path, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    let full = path.join(item.path, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const real = await realpath(full).catch(() => undefined);
      if (real === undefined || !isWithin(root, real)) continue; // a link leaving the directory is not followed
      const st = await lstat(real).catch(() => undefined);
      full = real;
      isDir = st?.isDirectory() === true;
      isFile = st?.isFile() === true;
    }
    if (isDir && item.depth < limits.maxDepth && !seen.has(full)) {
      seen.add(full);
      work.push({ path: full, depth: item.depth + 1, dir: true });
    } else if (isFile && e.name.endsWith('.json')) {
      if (++index.files > limits.maxFiles) {
        index.truncated = `advisory directory has more than ${limits.maxFiles} files: the rest were not read`;
        return;
      }
      work.push({ path: full, depth: item.depth, dir: false });
    }
  }
}

async function readRecord(file: string, index: LocalIndex, limits: typeof LOCAL_LIMITS): Promise<void> {
  let value: unknown;
  try {
    const buf = await readCapped(file, limits.maxFileBytes);
    if (buf === undefined) {
      index.bad++;
      return;
    }
    value = JSON.parse(buf.toString('utf8'));
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

/** The file's bytes, or undefined past `max` (checked on the open file, so a file growing meanwhile is cut too). */
async function readCapped(file: string, max: number): Promise<Buffer | undefined> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size > max) return undefined;
    // one byte more than the size said: a file that grew since is not read whole, and fails to parse
    const buf = Buffer.alloc(size + 1);
    const { bytesRead } = await fh.read(buf, 0, size + 1, 0);
    return bytesRead > size ? undefined : buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
