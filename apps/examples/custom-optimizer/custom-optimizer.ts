/**
 * Seed 004 ("Creating the new SGD optimizer with momentum"): exponentially weighted moving
 * averages (EWMA) with and without bias correction on noisy data, for several β, and the
 * post's user-written SGD with a debiased momentum average compared with the built-in `SGD`.
 * Writes the figures as SVG files.
 *
 * EWMA:           a_i = β a_{i-1} + (1 - β) y_i,  a_0 = 0
 * debiased EWMA:  a_i / (1 - β^i)
 *
 * The optimizer is the one shipped with `@backstep/optim`'s examples
 * (`packages/optim/examples/debiased-momentum-sgd.ts`), written on the public `Optimizer` base.
 */
import { join } from 'node:path';
import { MSELoss } from '@backstep/nn';
import { SGD, type Optimizer } from '@backstep/optim';
import { Generator, linspace, rand, randn, tensor, tidy, type Tensor } from '@backstep/tensor';
import { DebiasedMomentumSGD } from '../../../packages/optim/examples/debiased-momentum-sgd.js';
import { defaultOutDir } from '../shared/paths.js';
import { setupCpu } from '../shared/setup.js';
import { renderFigure, writeSvg, type Series } from '../shared/svg-plot.js';

export { DebiasedMomentumSGD };

const arr = (t: Tensor): number[] => Array.from(t.dataSync() as Float32Array);

/** EWMA of a series, plain and debiased (bias-corrected). */
export function ewma(y: ArrayLike<number>, beta: number): { plain: number[]; debiased: number[] } {
  const plain: number[] = [];
  const debiased: number[] = [];
  let a = 0;
  for (let i = 1; i <= y.length; i++) {
    a = beta * a + (1 - beta) * y[i - 1]!;
    plain.push(a);
    debiased.push(a / (1 - beta ** i));
  }
  return { plain, debiased };
}

/** Model 1 of the post: `x = linspace(-4, 4, 200)`, `y = randn(200) + 0.3`. */
export function normalData(seed = 0, n = 200): { x: number[]; y: number[]; mean: number } {
  setupCpu();
  const g = new Generator(seed);
  return tidy(() => ({ x: arr(linspace(-4, 4, n)), y: arr(randn([n], { generator: g }).add(0.3)), mean: 0.3 }));
}

/** Model 2 of the post: `x = linspace(-3, 3, 100)`, `yo = cos(x)`, `y = yo + 0.5 rand - 0.25`. */
export function cosineData(seed = 0, n = 100): { x: number[]; y: number[]; yo: number[] } {
  setupCpu();
  const g = new Generator(seed);
  return tidy(() => {
    const x = linspace(-3, 3, n);
    const yo = x.cos();
    const y = yo.add(rand(yo.shape as number[], { generator: g }).mul(0.5)).sub(0.25);
    return { x: arr(x), y: arr(y), yo: arr(yo) };
  });
}

/** Mean |estimate - truth| over the first `k` points. */
export function meanAbsError(est: number[], truth: number[] | number, k = est.length): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.abs(est[i]! - (typeof truth === 'number' ? truth : truth[i]!));
  return s / k;
}

/** One optimizer's loss curve on the comparison problem. */
export interface Curve {
  name: string;
  losses: number[];
}

/** A small noisy regression problem: `y = X w + b + noise`, X [256, 8], trained on mini-batches of 16. */
export function makeRegression(seed = 0): { X: Tensor; Y: Tensor } {
  setupCpu();
  const g = new Generator(seed + 7);
  const X = randn([256, 8], { generator: g });
  const w = randn([8, 1], { generator: g });
  const Y = X.matmul(w).add(0.5).add(randn([256, 1], { generator: g }).mul(0.1));
  return { X: X.engine.keep(X), Y: Y.engine.keep(Y) };
}

/** Trains `y = X w + b` from zero with `make(params)` for `steps` mini-batch steps; full-data loss after each. */
export function trainCurve(name: string, make: (params: Tensor[]) => Optimizer, steps = 150, seed = 0): Curve {
  const { X, Y } = makeRegression(seed);
  const w = tensor(new Array(8).fill(0), { shape: [8, 1], requiresGrad: true });
  const b = tensor([0], { requiresGrad: true });
  const opt = make([w, b]);
  const lossFn = new MSELoss();
  const losses: number[] = [];
  const bs = 16;
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      const start = (s * bs) % 256;
      const x = X.slice(0, start, start + bs);
      const y = Y.slice(0, start, start + bs);
      opt.zeroGrad();
      lossFn.call(x.matmul(w).add(b), y).backward();
      opt.step();
      losses.push(lossFn.call(X.matmul(w).add(b), Y).item());
    });
  }
  return { name, losses };
}

/** The optimizers compared (same lr and momentum). */
export function compareOptimizers(options: { steps?: number; lr?: number; momentum?: number; seed?: number } = {}): Curve[] {
  const steps = options.steps ?? 150;
  const lr = options.lr ?? 0.02;
  const m = options.momentum ?? 0.9;
  const seed = options.seed ?? 0;
  return [
    trainCurve('SGD (no momentum)', (p) => new SGD(p, { lr }), steps, seed),
    trainCurve(`SGD momentum ${m}`, (p) => new SGD(p, { lr, momentum: m }), steps, seed),
    trainCurve(`SGD momentum ${m}, dampening ${m}`, (p) => new SGD(p, { lr, momentum: m, dampening: m }), steps, seed),
    trainCurve(`DebiasedMomentumSGD ${m} (EWMA)`, (p) => new DebiasedMomentumSGD(p, { lr, momentum: m, dampening: m }), steps, seed),
  ];
}

/** What {@link runCustomOptimizer} reports. */
export interface CustomOptimizerResult {
  betas: number[];
  /** Mean |error| over the first `k` points, plain vs debiased, per β: normal data (vs 0.3) and cosine (vs cos x). */
  errors: { k: number; normal: Array<{ beta: number; plain: number; debiased: number }>; cosine: Array<{ beta: number; plain: number; debiased: number }> };
  curves: Curve[];
  /** Written files: the two EWMA figures and the optimizer comparison. */
  files: { normal: string; cosine: string; optimizers: string };
  /** What went into each figure. */
  counts: { normal: { polylines: number; points: number }; cosine: { polylines: number; points: number }; optimizers: { polylines: number; points: number } };
}

/** Computes everything and writes the SVG files to `outDir` (default `apps/examples/out/custom-optimizer`). */
export function runCustomOptimizer(options: { outDir?: string; betas?: number[]; seed?: number; steps?: number; k?: number } = {}): CustomOptimizerResult {
  const outDir = options.outDir ?? join(defaultOutDir, 'custom-optimizer');
  const betas = options.betas ?? [0.5, 0.9, 0.99];
  const seed = options.seed ?? 0;
  const k = options.k ?? 20;
  const nd = normalData(seed);
  const cd = cosineData(seed);

  const errors: CustomOptimizerResult['errors'] = { k, normal: [], cosine: [] };
  const normalPlain: Series[] = [];
  const normalDebiased: Series[] = [];
  const cosPlain: Series[] = [];
  const cosDebiased: Series[] = [];
  for (const beta of betas) {
    const en = ewma(nd.y, beta);
    const ec = ewma(cd.y, beta);
    errors.normal.push({ beta, plain: meanAbsError(en.plain, nd.mean, k), debiased: meanAbsError(en.debiased, nd.mean, k) });
    errors.cosine.push({ beta, plain: meanAbsError(ec.plain, cd.yo, k), debiased: meanAbsError(ec.debiased, cd.yo, k) });
    normalPlain.push({ name: `β = ${beta}`, x: nd.x, y: en.plain });
    normalDebiased.push({ name: `β = ${beta} debiased`, x: nd.x, y: en.debiased, dashed: true });
    cosPlain.push({ name: `β = ${beta}`, x: cd.x, y: ec.plain });
    cosDebiased.push({ name: `β = ${beta} debiased`, x: cd.x, y: ec.debiased, dashed: true });
  }
  const scatterN: Series = { name: 'y = randn + 0.3', x: nd.x, y: nd.y, kind: 'scatter', color: '#9ecae1' };
  const scatterC: Series = { name: 'y = cos x + noise', x: cd.x, y: cd.y, kind: 'scatter', color: '#9ecae1' };
  const meanLine: Series = { name: 'true mean 0.3', x: [nd.x[0]!, nd.x[nd.x.length - 1]!], y: [0.3, 0.3], color: '#444', width: 1 };
  const cosLine: Series = { name: 'cos x', x: cd.x, y: cd.yo, color: '#444', width: 1 };
  const normal = writeSvg(join(outDir, 'ewma-normal.svg'), renderFigure({
    title: 'EWMA of normal noise with offset 0.3 (seed 004, model 1)',
    panels: [
      { title: 'EWMA', xLabel: 'x', yLabel: 'y', series: [scatterN, meanLine, ...normalPlain], yRange: [-3, 3.5] },
      { title: 'debiased EWMA: a_i / (1 - β^i)', xLabel: 'x', yLabel: 'y', series: [scatterN, meanLine, ...normalDebiased], yRange: [-3, 3.5] },
    ],
  }));
  const cosine = writeSvg(join(outDir, 'ewma-cosine.svg'), renderFigure({
    title: 'EWMA of a noisy cosine (seed 004, model 2)',
    panels: [
      { title: 'EWMA', xLabel: 'x', yLabel: 'y', series: [scatterC, cosLine, ...cosPlain], legend: 'top-left' },
      { title: 'debiased EWMA', xLabel: 'x', yLabel: 'y', series: [scatterC, cosLine, ...cosDebiased], legend: 'top-left' },
    ],
  }));
  const curves = compareOptimizers({ steps: options.steps ?? 150, seed });
  const optimizers = writeSvg(join(outDir, 'sgd-comparison.svg'), renderFigure({
    title: 'y = Xw + b, mini-batches of 16, lr 0.02',
    panels: [{
      title: 'built-in SGD vs the debiased-momentum SGD',
      xLabel: 'step',
      yLabel: 'log10(full-data MSE)',
      series: curves.map((c) => ({ name: c.name, x: c.losses.map((_, i) => i + 1), y: c.losses.map((l) => Math.log10(l)) })),
    }],
  }));
  const lines = betas.length;
  return {
    betas,
    errors,
    curves,
    files: { normal, cosine, optimizers },
    counts: {
      normal: { polylines: 2 * (lines + 1), points: 2 * nd.y.length },
      cosine: { polylines: 2 * (lines + 1), points: 2 * cd.y.length },
      optimizers: { polylines: curves.length, points: 0 },
    },
  };
}
