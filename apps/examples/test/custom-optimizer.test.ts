import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '@backstep/tensor';
import { DebiasedMomentumSGD, ewma, runCustomOptimizer } from '../custom-optimizer/custom-optimizer.js';
import { setupCpu } from '../shared/setup.js';
import { countSvgElements } from '../shared/svg-plot.js';

describe('custom-optimizer (seed 004)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backstep-custom-optimizer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const r = runCustomOptimizer({ outDir: dir, steps: 100 });

  it('the debiased EWMA of a constant series is the constant; the plain one starts near 0', () => {
    for (const beta of [0.5, 0.9, 0.99]) {
      const e = ewma(new Array(50).fill(2.5), beta);
      e.debiased.forEach((v) => expect(Math.abs(v - 2.5)).toBeLessThan(1e-12));
      expect(e.plain[0]).toBeCloseTo(2.5 * (1 - beta), 12);
    }
  });

  it('bias correction lowers the error of the first steps on the noisy cosine, the more the larger β', () => {
    for (const e of r.errors.cosine.filter((c) => c.beta >= 0.9)) expect(e.debiased).toBeLessThan(e.plain * 0.6);
    const b99 = r.errors.cosine.find((c) => c.beta === 0.99)!;
    expect(b99.plain).toBeGreaterThan(0.5); // starts at 0 while cos(-3) = -0.99
    expect(b99.debiased).toBeLessThan(0.25);
  });

  it('the user-written optimizer: first step = plain SGD step, state dict round trip, and it converges like SGD', () => {
    setupCpu();
    const x = tensor([1, -2], { requiresGrad: true });
    const opt = new DebiasedMomentumSGD([x], { lr: 0.1, momentum: 0.9, dampening: 0.9 });
    x.grad = tensor([0.5, 0.25]);
    opt.step();
    const v = Array.from(x.dataSync());
    expect(Math.abs(v[0]! - 0.95)).toBeLessThan(1e-6);
    expect(Math.abs(v[1]! + 2.025)).toBeLessThan(1e-6);
    const sd = opt.stateDict();
    expect(sd.state[0]).toMatchObject({ step: 1 });
    const [sgd, sgdMomentum, , debiased] = r.curves;
    const last = (c: typeof sgd) => c!.losses[c!.losses.length - 1]!;
    const l0 = r.curves[0]!.losses[0]!;
    for (const c of r.curves) expect(Math.abs(c.losses[0]! - l0)).toBeLessThan(1e-5 * l0); // all take the same first step
    expect(last(debiased)).toBeLessThan(r.curves[0]!.losses[0]! / 100);
    expect(last(debiased)).toBeLessThanOrEqual(last(sgd) * 1.5);
    expect(last(sgdMomentum)).toBeLessThan(r.curves[0]!.losses[0]! / 50);
  });

  it('writes the three SVG figures with the expected polylines and points', () => {
    for (const [key, path] of Object.entries(r.files) as Array<[keyof typeof r.files, string]>) {
      const svg = readFileSync(path, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      const c = countSvgElements(svg);
      expect(c.polylines, key).toBe(r.counts[key].polylines);
      expect(c.circles, key).toBe(r.counts[key].points);
    }
    expect(r.counts.normal).toEqual({ polylines: 8, points: 400 });
    expect(r.counts.cosine).toEqual({ polylines: 8, points: 200 });
    expect(r.counts.optimizers).toEqual({ polylines: 4, points: 0 });
  });
});
