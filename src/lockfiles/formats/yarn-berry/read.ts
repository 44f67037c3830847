/**
 * Reading a yarn berry lockfile: `__metadata` and, per entry, its descriptors, the scalar fields the
 * model needs, its dependencies and the ones `dependenciesMeta` marks optional. Nothing is resolved
 * here (see ./build.ts).
 */
import { clip, SymlLines } from './syml.js';

/** Per entry, what the reader collected (parallel arrays). */
export interface Entries {
  line: number[];
  descriptors: string[][];
  resolution: (string | undefined)[];
  version: (string | undefined)[];
  checksum: (string | undefined)[];
  conditions: boolean[];
  /** deps of entry e are depName/depRange[depStart[e], depStart[e+1]) */
  depStart: number[];
  /** names dependenciesMeta marks optional, per entry (rare: undefined when none) */
  optionalDeps: (string[] | undefined)[];
}

/** A read lockfile. */
export interface YarnBerryRead {
  e: Entries;
  depName: string[];
  depRange: string[];
  /** descriptor → entry index */
  byDescriptor: Map<string, number>;
  /** `__metadata.version` (checked: an integer, 4 and up). */
  version: number;
  cacheKey: string | undefined;
}

const SECTION_NONE = 0;
const SECTION_DEPS = 1;
const SECTION_META = 2;
const SECTION_METADATA = 3;
const SECTION_OTHER = 4;

/** Where the reader is. */
interface State extends Omit<YarnBerryRead, 'version'> {
  metaVersion: string | undefined;
  sawMetadata: boolean;
  /** current entry index; -2 while in __metadata */
  cur: number;
  section: number;
  /** dependenciesMeta: the dependency being described */
  metaName: string | undefined;
  /** bit set of scalar fields seen in the current entry (duplicate check) */
  fieldsSeen: number;
}

/** Reads the lockfile text from `start` (after any BOM). */
export function readYarnBerry(file: string, text: string, start: number): YarnBerryRead {
  const lines = new SymlLines(file, text, start);
  const st: State = {
    e: { line: [], descriptors: [], resolution: [], version: [], checksum: [], conditions: [], depStart: [], optionalDeps: [] },
    depName: [],
    depRange: [],
    byDescriptor: new Map(),
    cacheKey: undefined,
    metaVersion: undefined,
    sawMetadata: false,
    cur: -1,
    section: SECTION_NONE,
    metaName: undefined,
    fieldsSeen: 0,
  };
  while (lines.next()) {
    const indent = lines.indent;
    if (indent === 0) topLevel(st, lines);
    else if (st.cur === -2) metadataField(st, lines);
    else if (indent === 2) entryField(st, lines);
    else if (indent === 4) sectionMember(st, lines);
    else if (indent === 6) metaOption(st, lines);
    // deeper lines of other sections (`bin`, `peerDependenciesMeta`…): not needed
  }
  if (!st.sawMetadata) lines.fail('not a yarn berry lockfile (no __metadata)', 1);
  const version = st.metaVersion === undefined ? NaN : Number(st.metaVersion);
  if (!Number.isInteger(version)) lines.fail(`__metadata.version is missing or not an integer`, 1);
  if (version < 4) lines.fail(`unsupported yarn lockfile version ${version} (yarn berry lockfiles have version 4 and up)`, 1);
  st.e.depStart.push(st.depName.length);
  return { e: st.e, depName: st.depName, depRange: st.depRange, byDescriptor: st.byDescriptor, version, cacheKey: st.cacheKey };
}

/** A top-level key: `__metadata` or a new entry keyed by its descriptors. */
function topLevel(st: State, lines: SymlLines): void {
  const { key, line } = lines;
  if (lines.value !== undefined) lines.fail(`top-level key "${clip(key)}" must be a mapping`, line);
  st.section = SECTION_NONE;
  if (key === '__metadata') {
    if (st.sawMetadata) lines.fail('duplicate __metadata', line);
    st.sawMetadata = true;
    st.cur = -2;
    st.section = SECTION_METADATA;
    return;
  }
  if (!st.sawMetadata) lines.fail('expected __metadata before the entries', line);
  const e = st.e;
  const cur = e.line.length;
  st.cur = cur;
  st.fieldsSeen = 0;
  e.line.push(line);
  const descriptors = splitDescriptors(key);
  for (const d of descriptors) {
    if (st.byDescriptor.has(d)) lines.fail(`duplicate descriptor "${clip(d)}"`, line);
    st.byDescriptor.set(d, cur);
  }
  e.descriptors.push(descriptors);
  e.resolution.push(undefined);
  e.version.push(undefined);
  e.checksum.push(undefined);
  e.conditions.push(false);
  e.depStart.push(st.depName.length);
  e.optionalDeps.push(undefined);
}

function metadataField(st: State, lines: SymlLines): void {
  if (lines.indent !== 2) lines.fail('unexpected nesting in __metadata', lines.line);
  if (lines.key === 'version') {
    if (st.metaVersion !== undefined) lines.fail('duplicate key "version"', lines.line);
    st.metaVersion = lines.value ?? '';
  } else if (lines.key === 'cacheKey') st.cacheKey = lines.value;
}

/** An entry's field (indent 2): a scalar the model needs, or the start of a section. */
function entryField(st: State, lines: SymlLines): void {
  const { key, value } = lines;
  st.metaName = undefined;
  const bit = storeField(st.e, st.cur, key, value);
  if (bit !== 0) {
    if ((st.fieldsSeen & bit) !== 0) lines.fail(`duplicate key "${key}"`, lines.line);
    st.fieldsSeen |= bit;
  }
  st.section = key === 'dependencies' ? SECTION_DEPS : key === 'dependenciesMeta' ? SECTION_META : SECTION_OTHER;
  if ((st.section === SECTION_DEPS || st.section === SECTION_META) && value !== undefined && value !== '') {
    lines.fail(`"${key}" must be a mapping`, lines.line);
  }
}

/** Stores a known field of entry `cur`; returns its bit for the duplicate check (0 for other keys). */
function storeField(e: Entries, cur: number, key: string, value: string | undefined): number {
  switch (key) {
    case 'version':
      e.version[cur] = value;
      return 1;
    case 'resolution':
      e.resolution[cur] = value;
      return 2;
    case 'checksum':
      e.checksum[cur] = value;
      return 4;
    case 'conditions':
      e.conditions[cur] = value !== undefined && value !== '';
      return 8;
    case 'dependencies':
      return 16;
    case 'dependenciesMeta':
      return 32;
    case 'languageName':
      return 64;
    case 'linkType':
      return 128;
  }
  return 0;
}

/** A member of a section (indent 4): a dependency, or the dependency `dependenciesMeta` describes next. */
function sectionMember(st: State, lines: SymlLines): void {
  if (st.section === SECTION_DEPS) {
    if (lines.value === undefined) lines.fail('a dependency needs a range', lines.line);
    st.depName.push(lines.key);
    st.depRange.push(lines.value);
  } else if (st.section === SECTION_META) {
    st.metaName = lines.key;
  }
}

/** `dependenciesMeta.<name>.optional: true` (indent 6). */
function metaOption(st: State, lines: SymlLines): void {
  if (st.section !== SECTION_META || st.metaName === undefined || lines.key !== 'optional' || lines.value !== 'true') return;
  const list = st.e.optionalDeps[st.cur];
  if (list === undefined) st.e.optionalDeps[st.cur] = [st.metaName];
  else list.push(st.metaName);
}

function splitDescriptors(key: string): string[] {
  if (key.indexOf(',') < 0) return [key];
  const out: string[] = [];
  for (const part of key.split(',')) {
    const t = part.trim();
    if (t !== '') out.push(t);
  }
  return out;
}
