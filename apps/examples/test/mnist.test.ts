import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllDigits, splitDigits } from '../mnist/data.js';
import { trainMnist, type MnistResult } from '../mnist/mnist.js';
import { countSvgElements } from '../shared/svg-plot.js';

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

describe('mnist (reduced runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backstep-mnist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let first: MnistResult;
  let resumed: MnistResult;

  it('the data: 10,000 real digits, 784 values in [0, 1], a fixed seeded 8,000 / 2,000 split', () => {
    const all = loadAllDigits();
    expect(all.count).toBe(10000);
    expect(all.images.length).toBe(10000 * 784);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
    const a = splitDigits();
    const b = splitDigits();
    expect([a.train.count, a.test.count]).toEqual([8000, 2000]);
    expect(Array.from(a.test.labels.subarray(0, 50))).toEqual(Array.from(b.test.labels.subarray(0, 50)));
    const classes = new Set(a.test.labels);
    expect(classes.size).toBe(10);
  });

  it('MLP, 60 steps: the loss falls and the test accuracy is far above chance; checkpoint and plot are written', async () => {
    first = await trainMnist({ model: 'mlp', steps: 60, outDir: dir, silent: true });
    expect(first.startStep).toBe(0);
    expect(first.endStep).toBe(60);
    expect(first.losses).toHaveLength(60);
    expect(Math.abs(first.losses[0]! - Math.log(10))).toBeLessThan(0.3); // ≈ ln 10: a uniform guess
    expect(mean(first.losses.slice(-10))).toBeLessThan(mean(first.losses.slice(0, 10)) / 2);
    expect(first.finalAccuracy).toBeGreaterThan(0.75); // chance: 0.10
    expect(first.rollbacks).toHaveLength(0);
    expect(existsSync(first.checkpointPath)).toBe(true);
    const svg = readFileSync(first.plotPath, 'utf8');
    expect(countSvgElements(svg).polylines).toBe(3); // loss, its moving average, accuracy
    expect(countSvgElements(svg).circles).toBe(first.evaluations.length);
  });

  it('--resume continues from the saved step, exactly as an uninterrupted run', async () => {
    resumed = await trainMnist({ model: 'mlp', steps: 120, resume: true, outDir: dir, silent: true });
    expect(resumed.startStep).toBe(60);
    expect(resumed.endStep).toBe(120);
    expect(resumed.losses).toHaveLength(120);
    expect(resumed.losses.slice(0, 60)).toEqual(first.losses);
    expect(resumed.finalAccuracy).toBeGreaterThan(first.finalAccuracy - 0.02);
    const straight = await trainMnist({ model: 'mlp', steps: 120, outDir: join(dir, 'straight'), silent: true });
    expect(straight.losses).toEqual(resumed.losses); // bit-identical losses: same weights, same Adam state, same batches
    expect(straight.finalAccuracy).toBe(resumed.finalAccuracy);
    await expect(trainMnist({ model: 'cnn', steps: 130, resume: true, checkpoint: first.checkpointPath, silent: true })).rejects.toThrow(/holds a 'mlp' model/);
  });

  it('RollbackGuard rolls back a batch with a NaN and drops it; training goes on', async () => {
    const r = await trainMnist({ model: 'mlp', steps: 40, injectNaNAt: 30, outDir: join(dir, 'nan'), silent: true, log: () => {} });
    expect(r.rollbacks).toHaveLength(1);
    expect(r.rollbacks[0]).toMatchObject({ reason: 'nonfinite-loss', stepIndex: 30 });
    expect(Number.isNaN(r.losses[30])).toBe(true);
    expect(r.losses.filter((l) => !Number.isFinite(l))).toHaveLength(1);
    expect(r.finalAccuracy).toBeGreaterThan(0.7);
  });

  it('CNN, 12 steps: runs end to end (conv, pooling, checkpoint, plot)', async () => {
    const r = await trainMnist({ model: 'cnn', steps: 12, testLimit: 500, outDir: dir, silent: true });
    expect(r.parameters).toBe(52138);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(mean(r.losses.slice(-4))).toBeLessThan(mean(r.losses.slice(0, 4)));
    expect(r.finalAccuracy).toBeGreaterThan(0.2);
    expect(existsSync(r.plotPath)).toBe(true);
  });

  it('--backend webgpu fails with a clear error where the backend is unavailable', async () => {
    try {
      await trainMnist({ backend: 'webgpu', steps: 1, outDir: join(dir, 'gpu'), silent: true });
    } catch (e) {
      expect((e as Error).message).toMatch(/webgpu/i);
    }
  });
});
