/** A wheel's RECORD as Python's csv module writes it, and what is refused (issue 14). */
import { createHash } from 'node:crypto';
import { parseRecord } from '../../src/archives/wheel-record.js';

const h = (s: string) => createHash('sha256').update(s).digest();

describe('parseRecord', () => {
  it('reads quoted paths (commas, quotes), CRLF rows and the hashless RECORD line; digests become hex', () => {
    const rows = parseRecord(
      `pkg/__init__.py,sha256=${h('a').toString('base64url')},1\r\n"pkg/a,b ""c"".py",sha256=${h('b').toString('base64url')},1\r\npkg-1.0.dist-info/RECORD,,\r\n`,
    );
    expect(rows).toEqual([
      { path: 'pkg/__init__.py', algorithm: 'sha256', digest: h('a').toString('hex'), size: 1 },
      { path: 'pkg/a,b "c".py', algorithm: 'sha256', digest: h('b').toString('hex'), size: 1 },
      { path: 'pkg-1.0.dist-info/RECORD' },
    ]);
  });

  it.each([
    ['a path listed twice', `a.py,sha256=${h('a').toString('base64url')},1\na.py,sha256=${h('a').toString('base64url')},1\n`, /twice/],
    ['a weak hash', 'a.py,md5=AAAA,1\n', /not sha256/],
    ['a digest of the wrong length', 'a.py,sha256=AAAA,1\n', /wrong length/],
    ['a row of two fields', 'a.py,sha256=AAAA\n', /2 fields/],
    ['an unterminated quote', '"a.py,,\n', /quoted field/],
    ['a size that is not a number', `a.py,sha256=${h('a').toString('base64url')},-1\n`, /not a number/],
  ])('refuses %s', (_what, text, reason) => {
    expect(() => parseRecord(text)).toThrow(reason);
  });
});
