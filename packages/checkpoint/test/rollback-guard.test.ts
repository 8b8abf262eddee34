import { beforeAll, describe, expect, it } from 'vitest';
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Linear, MSELoss } from '@backstep/nn';
import { SGD } from '@backstep/optim';
import { Generator, randn, tensor, type Tensor } from '@backstep/tensor';
import { History, RollbackGuard, type RollbackEvent } from '../src/index.js';

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
});

function rig(seed = 0) {
  const g = new Generator(seed);
  const model = new Linear(3, 1, { generator: g } as never);
  const opt = new SGD([...model.parameters()], { lr: 0.1 });
  const history = new History({ model, optimizer: opt }, { capacity: 2 });
  const x = randn([16, 3], { generator: g });
  const y = x.matmul(tensor([[1], [-2], [0.5]]));
  const mse = new MSELoss();
  const trainOn = (xs: Tensor, ys: Tensor): number => {
    opt.zeroGrad();
    const loss = mse.forward(model.forward(xs), ys);
    loss.backward();
    opt.step();
    return loss.item();
  };
  return { model, opt, history, x, y, trainOn };
}

const params = (m: Linear) => [...m.parameters()].map((p) => Array.from(p.dataSync()));

describe('RollbackGuard', () => {
  it('rolls back a NaN step, lets the user halve the lr, and retries', () => {
    const r = rig();
    const events: RollbackEvent[] = [];
    const guard = new RollbackGuard(r.history, {
      onEvent: (e) => events.push(e),
      onRollback: () => { r.opt.paramGroups[0]!.lr /= 2; },
    });
    for (let s = 0; s < 3; s++) expect(guard.step(() => ({ loss: r.trainOn(r.x, r.y) })).accepted).toBe(true);
    const before = params(r.model);
    const poisoned = r.x.mul(NaN);
    const res = guard.step((attempt) => ({ loss: r.trainOn(attempt === 0 ? poisoned : r.x, r.y) }));
    expect(res).toMatchObject({ accepted: true, attempts: 2 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'nonfinite-loss', attempt: 0, stepIndex: 3 });
    expect(r.opt.paramGroups[0]!.lr).toBe(0.05);
    // the retry started from exactly the pre-step parameters: equal to a clean step with lr 0.05 from `before`
    const clean = rig();
    for (const [p, v] of [...clean.model.parameters()].map((p, i) => [p, before[i]] as const)) p.requiresGrad_(false).copy_(tensor(v!, { shape: p.shape })).requiresGrad_(true);
    clean.opt.paramGroups[0]!.lr = 0.05;
    clean.trainOn(clean.x, clean.y);
    expect(params(r.model)).toEqual(params(clean.model));
    expect(params(r.model).flat().every(Number.isFinite)).toBe(true);
  });

  it('detects a loss spike against the running window and skips the batch when asked', () => {
    const r = rig(1);
    const guard = new RollbackGuard(r.history, { warmup: 3, onRollback: () => 'skip' });
    for (let s = 0; s < 5; s++) guard.step(() => ({ loss: r.trainOn(r.x, r.y) }));
    const before = params(r.model);
    const spiky = r.y.mul(1000);
    const res = guard.step(() => ({ loss: r.trainOn(r.x, spiky) }));
    expect(res).toMatchObject({ accepted: false, skipped: true, attempts: 1 });
    expect(res.events[0]!.reason).toBe('loss-spike');
    expect(res.events[0]!.threshold).toBeLessThan(res.events[0]!.loss);
    expect(params(r.model)).toEqual(before);
  });

  it('detects a non-finite or spiking gradient norm', () => {
    const r = rig(2);
    const guard = new RollbackGuard(r.history, { warmup: 2, onRollback: () => 'skip' });
    for (let s = 0; s < 3; s++) guard.step(() => ({ loss: 1, gradNorm: 1 + s * 0.01 }));
    expect(guard.step(() => ({ loss: 1, gradNorm: Infinity })).events[0]!.reason).toBe('nonfinite-grad-norm');
    expect(guard.step(() => ({ loss: 1, gradNorm: 50 })).events[0]!.reason).toBe('grad-norm-spike');
  });

  it('gives up after maxRetries: skips by default, throws when asked', () => {
    const r = rig(3);
    const skip = new RollbackGuard(r.history, { maxRetries: 2 });
    const res = skip.step(() => ({ loss: NaN }));
    expect(res).toMatchObject({ accepted: false, skipped: true, attempts: 3 });
    expect(res.events.map((e) => e.attempt)).toEqual([0, 1, 2]);
    const strict = new RollbackGuard(r.history, { maxRetries: 1, onExhausted: 'throw' });
    expect(() => strict.step(() => ({ loss: NaN }))).toThrow(/still failed after 1 retries/);
  });

  it('rejects bad options', () => {
    const r = rig();
    expect(() => new RollbackGuard(r.history, { maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new RollbackGuard(r.history, { spikeFactor: 0.5 })).toThrow(/spikeFactor/);
  });
});
