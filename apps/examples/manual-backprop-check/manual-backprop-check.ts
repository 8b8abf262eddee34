/**
 * Seed 003 ("How to properly update the weights in PyTorch?"): a 2-2-1 linear net without bias,
 * `L1Loss` against target 1, one SGD step with lr 0.05. The gradients are computed twice — by
 * autograd and by hand in plain JavaScript numbers — to show where the forum post's hand
 * calculation went wrong: the derivative of the L1 loss is `sign(out - target) = -1`, not
 * `out - target = -0.809` (that factor belongs to the MSE loss, times 2).
 */
import { SGD } from '@backstep/optim';
import { L1Loss, Linear, Module, MSELoss, Parameter } from '@backstep/nn';
import { tensor, type Tensor } from '@backstep/tensor';
import { setupCpu } from '../shared/setup.js';

/** The forum post's values. */
export const SEED = {
  W1: [[0.11, 0.21], [0.12, 0.08]],
  W2: [[0.14, 0.15]],
  x: [2.0, 3.0],
  target: 1.0,
  lr: 0.05,
} as const;

/** The user's network: `linear2(linear1(x))`, weights set to the forum post's values. */
export class MyNet extends Module<[Tensor], Tensor> {
  linear1 = new Linear(2, 2, { bias: false });
  linear2 = new Linear(2, 1, { bias: false });

  constructor() {
    super();
    this.linear1.weight = new Parameter(tensor(SEED.W1.map((r) => [...r])));
    this.linear2.weight = new Parameter(tensor(SEED.W2.map((r) => [...r])));
  }

  override forward(x: Tensor): Tensor {
    return this.linear2.call(this.linear1.call(x));
  }
}

/** Gradients and the SGD update computed by hand (float64 JavaScript numbers). */
export interface HandBackprop {
  /** Hidden activations `h = W1 x` ([0.85, 0.48]). */
  h: number[];
  out: number;
  loss: number;
  /** dLoss/dout: `sign(out - t)` for L1, `2 (out - t)` for MSE. */
  dOut: number;
  gradW1: number[][];
  gradW2: number[][];
  w1After: number[][];
  w2After: number[][];
}

/** Backpropagation by hand: the chain rule from the loss down, then `w -= lr * grad`. */
export function handBackprop(loss: 'l1' | 'mse', lr: number = SEED.lr): HandBackprop {
  const { W1, W2, x, target } = SEED;
  const h = W1.map((row) => row[0]! * x[0] + row[1]! * x[1]);
  const out = W2[0][0] * h[0]! + W2[0][1] * h[1]!;
  const diff = out - target;
  const lossValue = loss === 'l1' ? Math.abs(diff) : diff * diff;
  const dOut = loss === 'l1' ? Math.sign(diff) : 2 * diff; // d|d|/dd = sign(d); d(d²)/dd = 2d
  const gradW2 = [h.map((hj) => dOut * hj)]; // dL/dW2[0][j] = dOut · h_j
  const dh = W2[0].map((w) => dOut * w); // dL/dh_j = dOut · W2[0][j]
  const gradW1 = dh.map((g) => x.map((xk) => g * xk)); // dL/dW1[j][k] = dL/dh_j · x_k
  const step = (w: readonly (readonly number[])[], g: number[][]) => w.map((row, i) => row.map((v, j) => v - lr * g[i]![j]!));
  return { h, out, loss: lossValue, dOut, gradW1, gradW2, w1After: step(W1, gradW1), w2After: step(W2, gradW2) };
}

/**
 * The forum post's update of the output weights: `w = w - (prediction - target) · 1 · h · lr`,
 * i.e. it multiplies by `out - target = -0.809` instead of `sign(out - target) = -1`.
 */
export function forumUpdate(lr: number = SEED.lr): number[] {
  const h = handBackprop('l1').h;
  const out = handBackprop('l1').out;
  return SEED.W2[0].map((w, j) => w - (out - SEED.target) * 1 * h[j]! * lr);
}

/** What autograd and one `SGD` step give. */
export interface AutogradStep {
  output: number;
  loss: number;
  gradW1: number[][];
  gradW2: number[][];
  w1After: number[][];
  w2After: number[][];
}

/** Forward, `backward()` and one `SGD` step on {@link MyNet} with the given loss. */
export function autogradStep(loss: 'l1' | 'mse' = 'l1', lr: number = SEED.lr): AutogradStep {
  setupCpu();
  const model = new MyNet();
  const lossFn = loss === 'l1' ? new L1Loss() : new MSELoss();
  const optimizer = new SGD(model.parameters(), { lr });
  const result = model.call(tensor([...SEED.x]));
  const l = lossFn.call(result, tensor([SEED.target]));
  optimizer.zeroGrad();
  l.backward();
  const w1 = model.linear1.weight;
  const w2 = model.linear2.weight;
  const gradW1 = w1.grad!.tolist() as number[][];
  const gradW2 = w2.grad!.tolist() as number[][];
  optimizer.step();
  return {
    output: result.item(),
    loss: l.item(),
    gradW1,
    gradW2,
    w1After: w1.tolist() as number[][],
    w2After: w2.tolist() as number[][],
  };
}

/** Everything the example prints. */
export interface ManualBackpropCheck {
  autograd: AutogradStep;
  hand: HandBackprop;
  /** Largest |hand − autograd| over both gradients and both updated weights (float32 rounding only). */
  maxDiff: number;
  /** The forum post's (wrong) new output weights, ≈ [0.1744, 0.1694]. */
  forumW2After: number[];
  /** The same check with `MSELoss`, where the `(out - target)` factor does appear (times 2). */
  mse: { autograd: AutogradStep; hand: HandBackprop; maxDiff: number };
}

function maxDiffOf(a: AutogradStep, h: HandBackprop): number {
  const pairs: Array<[number[][], number[][]]> = [[a.gradW1, h.gradW1], [a.gradW2, h.gradW2], [a.w1After, h.w1After], [a.w2After, h.w2After]];
  let m = Math.abs(a.output - h.out);
  for (const [x, y] of pairs) x.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - y[i]![j]!)))));
  return m;
}

/** Runs the whole check. */
export function runManualBackpropCheck(lr: number = SEED.lr): ManualBackpropCheck {
  const autograd = autogradStep('l1', lr);
  const hand = handBackprop('l1', lr);
  const mseA = autogradStep('mse', lr);
  const mseH = handBackprop('mse', lr);
  return {
    autograd,
    hand,
    maxDiff: maxDiffOf(autograd, hand),
    forumW2After: forumUpdate(lr),
    mse: { autograd: mseA, hand: mseH, maxDiff: maxDiffOf(mseA, mseH) },
  };
}
