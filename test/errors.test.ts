import { LockfileError } from '../src/errors.js';

describe('InputError', () => {
  it('names the file, line and column in the message', () => {
    const e = new LockfileError('unexpected end of input', { file: 'package-lock.json', line: 12, column: 3 });
    expect(e.message).toBe('package-lock.json:12:3: unexpected end of input');
    expect(e.line).toBe(12);
  });
  it('omits the location when there is none', () => {
    expect(new LockfileError('boom').message).toBe('boom');
  });
});
