/**
 * The content evaluation's attack cases (test-support/eval) through the whole review with the real npm
 * client on a 127.0.0.1 fixture registry: each metadata-clean upgrade (same publisher, months old, same
 * scripts and dependencies, only code changed) must fail with a finding at high or above naming the file.
 */
import { review } from '../../src/core/review.js';
import { severityRank } from '../../src/model/finding.js';
import { defaultConfig } from '../../src/policy/index.js';
import { createNpmRegistryClient } from '../../src/registry/npm.js';
import { createNpmRegistryConfig } from '../../src/registry/npmrc.js';
import type { FixtureRegistry } from '../../test-support/fixture-registry.js';
import { attackCases } from '../../test-support/eval/attack-cases.js';
import { heldOutCases } from '../../test-support/eval/held-out-cases.js';
import { caseLockfiles, EVAL_NOW, startEvalRegistry } from '../../test-support/eval/registry.js';

const CONTENT = new Set(['obfuscated-code', 'new-capability', 'new-executable', 'install-script-payload']);
const cases = [...attackCases(), ...heldOutCases()];
let reg: FixtureRegistry;

beforeAll(async () => {
  reg = await startEvalRegistry(cases);
});
afterAll(() => reg.close());

describe('content evaluation: attack cases end to end', () => {
  it('has at least 15 cases, each defanged (no host outside *.example and TEST-NET)', () => {
    expect(attackCases().length).toBeGreaterThanOrEqual(15);
    for (const c of cases) {
      const text = Object.values(c.after).join('\n');
      for (const m of text.matchAll(/:\/\/([A-Za-z0-9.-]+)/g)) expect(m[1]).toMatch(/\.example$|^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
    }
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s fails at high or above, naming the file', async (_id, c) => {
    const { base, head } = caseLockfiles(reg.url, c);
    const registry = createNpmRegistryClient({ config: createNpmRegistryConfig({ registry: reg.url }), retries: 0 });
    const r = await review([{ file: 'package-lock.json', base, head }], { registry, now: EVAL_NOW, config: defaultConfig() });
    const findings = r.changes.flatMap((ch) => ch.findings);
    // metadata-clean: nothing but content signals has anything to say at medium or above
    const other = findings.filter((f) => !CONTENT.has(f.signal) && severityRank(f.severity) >= severityRank('medium'));
    expect(other.map((f) => f.signal)).toEqual([]);
    const named = findings.filter((f) => CONTENT.has(f.signal) && f.evidence['file'] === c.file);
    const high = named.filter((f) => severityRank(f.severity) >= severityRank('high'));
    expect({ file: c.file, high: high.length > 0, found: findings.map((f) => `${f.signal}:${f.severity}:${String(f.evidence['file'])}`) }).toEqual(
      expect.objectContaining({ file: c.file, high: true }),
    );
    expect(r.conclusion).toBe('failure');
  });
});
