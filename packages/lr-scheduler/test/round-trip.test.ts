/**
 * State-dict round trips in the middle of every golden schedule: a fresh optimizer + scheduler
 * that loads both state dicts saved after k steps continues exactly like the original run
 * (lr, momentum and betas[0] bit-identical), for k = 1, the middle, and the last step.
 */
import { describe, expect, it } from 'vitest';
import { loadCase, run, SCHED_FILES, setup, snapshot, stepOnce } from './helpers.js';

const cases = SCHED_FILES.map(loadCase);

describe('stateDict round trip mid-schedule continues identically', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const ref = setup(c);
    const expected = [snapshot(ref.opt), ...run(c, ref.opt, ref.sched, 0, c.steps)];
    for (const k of new Set([1, Math.floor(c.steps / 2), c.steps - 1])) {
      const a = setup(c);
      run(c, a.opt, a.sched, 0, k);
      // structuredClone: a detached copy, as a checkpoint would hold (keeps ±Infinity).
      const optSd = a.opt.stateDict();
      const schedSd = structuredClone(a.sched.stateDict());
      // Stepping the original further must not change the saved state.
      stepOnce(c, a.opt, a.sched, k);
      const b = setup(c);
      b.opt.loadStateDict(optSd);
      b.sched.loadStateDict(schedSd);
      expect(b.sched.getLastLr()).toEqual(expected[k]!.lr);
      expect(b.sched.stateDict()).toEqual(schedSd);
      const continued = run(c, b.opt, b.sched, k, c.steps);
      expect(continued, `continuing from step ${k}`).toEqual(expected.slice(k + 1));
    }
  });
});
