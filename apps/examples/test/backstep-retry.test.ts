import { describe, expect, it } from 'vitest';
import { runBackstepRetry, runRollbackGuard } from '../backstep-retry/backstep-retry.js';

describe('backstep-retry (seed 000)', () => {
  const r = runBackstepRetry();

  it('the too-high lr makes the loss worse; backStep() returns to exactly the pre-step state', () => {
    expect(r.lossAfterBadStep).toBeGreaterThan(r.lossBefore * 1.5);
    expect(r.lossAfterBackStep).toBe(r.lossBefore);
    expect(r.restored).toMatchObject({ params: true, expAvg: true, expAvgSq: true, step: true, maxParamDiff: 0, maxExpAvgDiff: 0 });
    expect(r.adamStep).toEqual({ before: 20, afterBad: 21, afterBackStep: 20 });
    expect(r.lrAfterBackStep).toBe(0.01);
  });

  it('the retry with a changed lr improves the loss and equals a run that never took the bad step, bit for bit', () => {
    expect(r.lossAfterRetry).toBeLessThan(r.lossBefore);
    expect(r.retryVsReference).toMatchObject({ params: true, expAvg: true, expAvgSq: true, step: true });
  });

  it("restoring only the model (the seed's load_state_dict) restores the outputs but the retry drifts (Adam's moments)", () => {
    expect(r.modelOnly.outputs.afterLoad).toEqual(r.modelOnly.outputs.before);
    expect(r.modelOnly.outputs.afterStep).not.toEqual(r.modelOnly.outputs.before);
    expect(r.modelOnly.adamStep).toBe(r.modelOnly.referenceAdamStep + 1);
    expect(r.modelOnly.vsReference.params).toBe(false);
    expect(r.modelOnly.vsReference.maxParamDiff).toBeGreaterThan(1e-5);
    expect(r.modelOnly.vsReference.maxExpAvgDiff).toBeGreaterThan(1e-3);
  });

  it('RollbackGuard rolls back the NaN batch; the run ends bit-identical to one that never saw it', () => {
    const g = runRollbackGuard();
    expect(g.events).toHaveLength(1);
    expect(g.events[0]).toMatchObject({ reason: 'nonfinite-loss', stepIndex: 25, attempt: 0 });
    expect(g.allFinite).toBe(true);
    expect(g.lastLoss).toBeLessThan(g.firstLoss / 4);
    expect(g.vsCleanRun).toMatchObject({ params: true, expAvg: true, expAvgSq: true, step: true });
    expect(g.unguardedAllFinite).toBe(false);
  });
});
