/**
 * How two archives travel to an analysis worker with one copy: every kept text is written once into a
 * single buffer whose memory is transferred (not cloned) to the worker, which reads the texts back.
 */
import type { ArchiveContents, ArchiveFile } from '../model/index.js';

/** The archives without their texts, and where each text sits in `buffer` (UTF-8, `[start, end)`). */
export interface PackedArchives {
  previous: ArchiveContents | null;
  next: ArchiveContents;
  /** Per archive (previous, next), per file: the text's span, or null (no text, or sent inline). */
  spans: [Array<[number, number] | null>, Array<[number, number] | null>];
  buffer: ArrayBuffer;
}

export function packArchives(previous: ArchiveContents | null, next: ArchiveContents): PackedArchives {
  const sides = [previous, next] as const;
  let total = 0;
  for (const side of sides) for (const f of side?.files ?? []) if (travelsInBuffer(f)) total += Buffer.byteLength(f.text!, 'utf8');
  // its own ArrayBuffer (never the shared allocation pool), so transferring it detaches nothing else
  const buf = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  const spans = sides.map((side) =>
    (side?.files ?? []).map((f): [number, number] | null => {
      if (!travelsInBuffer(f)) return null;
      const start = at;
      at += buf.write(f.text!, at, 'utf8');
      return [start, at];
    }),
  ) as PackedArchives['spans'];
  return { previous: previous && withoutBufferedTexts(previous), next: withoutBufferedTexts(next), spans, buffer: buf.buffer as ArrayBuffer };
}

export function unpackArchives(p: PackedArchives): { previous: ArchiveContents | null; next: ArchiveContents } {
  const buf = Buffer.from(p.buffer);
  const restore = (a: ArchiveContents, spans: Array<[number, number] | null>): ArchiveContents => ({
    ...a,
    files: a.files.map((f, i) => {
      const span = spans[i];
      return span ? { ...f, text: buf.toString('utf8', span[0], span[1]) } : f;
    }),
  });
  return { previous: p.previous && restore(p.previous, p.spans[0]), next: restore(p.next, p.spans[1]) };
}

/** UTF-8 round-trips well-formed text exactly; a text with a lone surrogate is cloned as it is instead. */
function travelsInBuffer(f: ArchiveFile): boolean {
  // String.prototype.isWellFormed (Node 20): newer than the compiler's ES2022 library
  return f.text !== undefined && (f.text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function withoutBufferedTexts(a: ArchiveContents): ArchiveContents {
  return { ...a, files: a.files.map((f) => (travelsInBuffer(f) ? withoutText(f) : f)) };
}

export function withoutText(f: ArchiveFile): ArchiveFile {
  const { text: _text, ...rest } = f;
  return rest;
}
