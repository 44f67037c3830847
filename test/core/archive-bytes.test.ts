/**
 * The review's bound on archive bytes read at once (src/core/gatherers/archive-bytes.ts): admissions in
 * arrival order, one archive larger than the bound read alone, a cut wait rejected; and the package's
 * time budget, which stands still while its archives wait for memory.
 */
import { ByteGate, PausableBudget } from '../../src/core/gatherers/archive-bytes.js';
import { ReadCut } from '../../src/registry/abort.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('ByteGate', () => {
  it('admits what fits at once and makes the rest wait, in arrival order', async () => {
    const gate = new ByteGate(100);
    const a = gate.tryTake(60)!;
    expect(a).toBeDefined();
    expect(gate.tryTake(50)).toBeUndefined();
    const order: string[] = [];
    const noted = (name: string) => (r: () => void) => {
      order.push(name);
      return r;
    };
    const b = gate.take(50, undefined).then(noted('b'));
    const c = gate.take(10, undefined).then(noted('c'));
    // c would fit now, but b came first: nobody overtakes
    await tick();
    expect(order).toEqual([]);
    expect(gate.tryTake(10)).toBeUndefined();
    a();
    await Promise.all([b, c]);
    expect(order).toEqual(['b', 'c']);
    expect(gate.held).toBe(60);
  });

  it('reads an archive larger than the bound alone, once nothing else is held', async () => {
    const gate = new ByteGate(100);
    const small = gate.tryTake(30)!;
    let admitted = false;
    const big = gate.take(500, undefined).then((r) => {
      admitted = true;
      return r;
    });
    await tick();
    expect(admitted).toBe(false);
    small();
    const release = await big;
    expect(gate.held).toBe(500);
    release();
    expect(gate.held).toBe(0);
  });

  it('gives bytes back once, however often the release is called', () => {
    const gate = new ByteGate(100);
    const r = gate.tryTake(40)!;
    r();
    r();
    expect(gate.held).toBe(0);
    expect(gate.tryTake(100)).toBeDefined();
  });

  it('rejects a wait the signal cuts, and lets the next one in', async () => {
    const gate = new ByteGate(100);
    const held = gate.tryTake(90)!;
    const ctl = new AbortController();
    const cut = gate.take(50, ctl.signal);
    const next = gate.take(5, undefined);
    ctl.abort();
    await expect(cut).rejects.toBeInstanceOf(ReadCut);
    // the cut wait no longer blocks the queue: 90 + 5 fits
    const release = await next;
    expect(gate.held).toBe(95);
    release();
    held();
  });
});

describe('PausableBudget', () => {
  it('ends after its time, counted from begin()', async () => {
    const budget = new PausableBudget(30);
    budget.begin();
    await new Promise((r) => setTimeout(r, 80));
    expect(budget.signal.aborted).toBe(true);
    expect(String(budget.signal.reason)).toMatch(/over the content time budget \(30 ms\)/);
  });

  it('stands still while paused, then runs the whole budget again', async () => {
    const budget = new PausableBudget(60);
    budget.begin();
    const resume = budget.pause();
    const second = budget.pause();
    await new Promise((r) => setTimeout(r, 120));
    expect(budget.signal.aborted).toBe(false);
    resume();
    // one pause still runs
    await new Promise((r) => setTimeout(r, 100));
    expect(budget.signal.aborted).toBe(false);
    second();
    await new Promise((r) => setTimeout(r, 30));
    expect(budget.signal.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(budget.signal.aborted).toBe(true);
    budget.end();
  });

  it('never runs again once ended', async () => {
    const budget = new PausableBudget(20);
    budget.begin();
    const resume = budget.pause();
    budget.end();
    resume();
    await new Promise((r) => setTimeout(r, 60));
    expect(budget.signal.aborted).toBe(false);
  });
});
