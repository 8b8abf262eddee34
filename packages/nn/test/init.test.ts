import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, zeros } from '@backstep/tensor';
import { init, Parameter } from '../src/index.js';
import { setup, values } from './setup.js';

beforeAll(setup);

function stats(v: number[]): { mean: number; std: number; max: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, max: Math.max(...v.map(Math.abs)) };
}

describe('init', () => {
  it('calculateGain follows PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.0001)), 15);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('nope' as 'linear')).toThrow(/Unsupported/);
  });

  it('computes fans from [out, in, k...]', () => {
    expect(init.calculateFanInAndFanOut(zeros([8, 3, 5, 5]))).toEqual([75, 200]);
    expect(init.calculateFanInAndFanOut(zeros([4, 6]))).toEqual([6, 4]);
    expect(() => init.calculateFanInAndFanOut(zeros([4]))).toThrow(/fewer than 2 dimensions/);
  });

  it('updates parameters that require grad in place (no-grad), keeping identity', () => {
    const p = new Parameter(zeros([3, 2]));
    const dataBefore = p.dataId;
    expect(init.constant_(p, 0.5)).toBe(p);
    expect(values(p)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(p.dataId).not.toBe(dataBefore);
    init.ones_(p);
    expect(values(p)).toEqual([1, 1, 1, 1, 1, 1]);
    init.zeros_(p);
    expect(values(p)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(p.isLeaf && p.requiresGrad).toBe(true);
  });

  it('uniform_/normal_ draw from the requested distribution', () => {
    const t = zeros([200, 100], { dtype: 'float64' });
    init.uniform_(t, -2, 3, { generator: new Generator(3) });
    const u = values(t);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(stats(u).mean).toBeCloseTo(0.5, 1);
    init.normal_(t, 1, 2);
    const n = stats(values(t));
    expect(n.mean).toBeCloseTo(1, 1);
    expect(Math.abs(n.std - 2)).toBeLessThan(0.05);
  });

  it('xavier and kaiming use the right bounds / standard deviations', () => {
    const w = zeros([300, 200], { dtype: 'float64' });
    init.xavierUniform_(w, 2);
    const a = 2 * Math.sqrt(6 / 500);
    const xu = stats(values(w));
    expect(xu.max).toBeLessThanOrEqual(a);
    expect(xu.max).toBeGreaterThan(0.99 * a);
    init.xavierNormal_(w);
    expect(Math.abs(stats(values(w)).std - Math.sqrt(2 / 500)) / Math.sqrt(2 / 500)).toBeLessThan(0.02);
    init.kaimingUniform_(w, { a: Math.sqrt(5) });
    const ku = stats(values(w));
    expect(ku.max).toBeLessThanOrEqual(1 / Math.sqrt(200));
    expect(ku.max).toBeGreaterThan(0.99 / Math.sqrt(200));
    init.kaimingNormal_(w, { mode: 'fanOut', nonlinearity: 'relu' });
    const std = Math.SQRT2 / Math.sqrt(300);
    expect(Math.abs(stats(values(w)).std - std) / std).toBeLessThan(0.02);
    init.kaimingUniform_(w, 0);
    expect(stats(values(w)).max).toBeLessThanOrEqual(Math.sqrt(6 / 200));
  });
});
