import { clampedContentNote, appConfig } from '../../src/github/content-limits.js';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_CONTENT_CONFIG, defaultConfig, parseConfig } from '../../src/policy/index.js';

describe('content config', () => {
  it('defaults: on, 32 MiB archive, 128 MiB unpacked, 20 000 files, 10 s per package', () => {
    expect(defaultConfig().content).toEqual({
      enabled: true,
      maxArchiveBytes: 32 * 2 ** 20,
      maxUnpackedBytes: 128 * 2 ** 20,
      maxFiles: 20_000,
      timeBudgetMs: 10_000,
    });
  });

  it('reads sizes with units and durations', () => {
    const c = parseConfig('content:\n  enabled: false\n  maxArchiveBytes: 8MiB\n  maxUnpackedBytes: 64 MiB\n  maxFiles: 500\n  timeBudget: 2s\n').content;
    expect(c).toEqual({ enabled: false, maxArchiveBytes: 8 * 2 ** 20, maxUnpackedBytes: 64 * 2 ** 20, maxFiles: 500, timeBudgetMs: 2000 });
  });

  it("takes the issue's name timeBudgetMs for the same budget, in ms", () => {
    expect(parseConfig('content:\n  timeBudgetMs: 2500\n').content.timeBudgetMs).toBe(2500);
    expect(() => parseConfig('content:\n  timeBudget: 2s\n  timeBudgetMs: 2500\n')).toThrow(/timeBudget or timeBudgetMs/);
  });

  it.each([
    ['maxArchiveBytes: 2GiB', /maxArchiveBytes/],
    ['maxArchiveBytes: lots', /maxArchiveBytes/],
    ['maxUnpackedBytes: 10', /maxUnpackedBytes/],
    ['maxFiles: 0', /maxFiles/],
    ['timeBudget: 1h', /timeBudget/],
    ['timeBudget: 10', /timeBudget/],
    ['surprise: 1', /unknown key "surprise"/],
  ])('refuses %s', (line, message) => {
    expect(() => parseConfig(`content:\n  ${line}\n`)).toThrow(ConfigError);
    expect(() => parseConfig(`content:\n  ${line}\n`)).toThrow(message);
  });

  it('the App lowers a repository that raises a cap back to the defaults, and says so', () => {
    const raised = parseConfig('content:\n  maxArchiveBytes: 512MiB\n  maxFiles: 10\n');
    expect(appConfig(raised).content).toEqual({ ...DEFAULT_CONTENT_CONFIG, maxFiles: 10 });
    expect(clampedContentNote(raised)).toEqual([
      expect.objectContaining({ kind: 'config-ignored', message: expect.stringMatching(/content.maxArchiveBytes/) }),
    ]);
    expect(clampedContentNote(parseConfig('content:\n  maxFiles: 10\n'))).toEqual([]);
  });
});
