/**
 * Seed 001 ("connection between loss.backward() and optimizer.step()"): there is no hidden link
 * between the loss and the optimizer. `backward()` writes gradients into the `.grad` of every
 * leaf that requires grad; the optimizer was given the same tensor objects at construction and
 * `step()` reads their `.grad`. Everything the seed's answers show, with the same numbers.
 */
import { Linear } from '@backstep/nn';
import { SGD } from '@backstep/optim';
import { manualSeed, mul, tensor, type Tensor } from '@backstep/tensor';
import { setupCpu } from '../shared/setup.js';

const list = (t: Tensor | null): number[] | null => (t === null ? null : (Array.from(t.dataSync()) as number[]));

/** One step of the polynomial example. */
export interface PolyStep {
  z: number;
  gradX: number;
  gradY: number;
  xAfter: number;
  yAfter: number;
}

/** Solution 5: `z = 3x² + y³` at x = 1, y = 2, `SGD([x, y], { lr: 0.1 })`. */
export interface PolynomialResult {
  /** `x.grad`, `y.grad`, `z.grad` before `backward()`: all null. */
  gradsBefore: Array<number[] | null>;
  /** `z.grad` after `backward()`: null (z is not a leaf; `z.retainGrad()` would keep it). */
  zGradAfter: number[] | null;
  /** `z.gradFn.name` ('AddBackward'), `x.isLeaf`, `z.isLeaf`. */
  zGradFn: string | null;
  steps: PolyStep[];
}

/** Runs `steps` iterations of zeroGrad → z → backward → step (the seed shows the first). */
export function polynomial(steps = 3, lr = 0.1): PolynomialResult {
  setupCpu();
  const x = tensor([1.0], { requiresGrad: true });
  const y = tensor([2.0], { requiresGrad: true });
  const optimizer = new SGD([x, y], { lr });
  const out: PolyStep[] = [];
  let gradsBefore: Array<number[] | null> = [];
  let zGradAfter: number[] | null = null;
  let zGradFn: string | null = null;
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad();
    const z = x.pow(2).mul(3).add(y.pow(3)); // z = 3*x**2 + y**3
    if (s === 0) {
      gradsBefore = [list(x.grad), list(y.grad), list(z.grad)];
      zGradFn = z.gradFn?.name ?? null;
    }
    z.backward();
    if (s === 0) zGradAfter = list(z.grad);
    const gradX = x.grad!.item();
    const gradY = y.grad!.item();
    optimizer.step(); // x -= lr * x.grad, y -= lr * y.grad
    out.push({ z: z.item(), gradX, gradY, xAfter: x.item(), yAfter: y.item() });
  }
  return { gradsBefore, zGradAfter, zGradFn, steps: out };
}

/** Solution 3: `y = 100 * x`, `loss = y.sum()`, `SGD([x], { lr: 0.001 })`. */
export interface Linear100Result {
  gradBefore: number[] | null;
  grad: number[];
  xBefore: number[];
  xAfter: number[];
}

/** x = [1, 2]; grad [100, 100]; after one step [0.9, 1.9]. */
export function linear100(lr = 0.001): Linear100Result {
  setupCpu();
  const x = tensor([1, 2], { requiresGrad: true });
  const y = mul(x, 100);
  const loss = y.sum();
  const gradBefore = list(x.grad); // null
  loss.backward();
  const grad = list(x.grad)!; // [100, 100]
  const optimizer = new SGD([x], { lr });
  const xBefore = list(x)!;
  optimizer.step();
  return { gradBefore, grad, xBefore, xAfter: list(x)! };
}

/** What happens when `zeroGrad()` is forgotten. */
export interface AccumulationResult {
  /** `.grad` after 1, 2 and 3 `backward()` calls without `zeroGrad()`: [100,100], [200,200], [300,300]. */
  gradAfterEachBackward: number[][];
  /** x after one step with the accumulated [300, 300] gradient: [0.7, 1.7]. */
  xAfterAccumulated: number[];
  /** The same three iterations done right (zeroGrad → backward → step): x after each step. */
  xWithZeroGrad: number[][];
  /** The same three iterations without zeroGrad (the gradient keeps growing): x after each step. */
  xWithoutZeroGrad: number[][];
  /** `.grad` right after `optimizer.zeroGrad()` (null: PyTorch's set_to_none default). */
  gradAfterZeroGrad: number[] | null;
}

/** `backward()` adds into `.grad`; only `zeroGrad()` resets it. */
export function accumulation(lr = 0.001): AccumulationResult {
  setupCpu();
  // 1) three backward passes, no zeroGrad, one step
  const x = tensor([1, 2], { requiresGrad: true });
  const optimizer = new SGD([x], { lr });
  const gradAfterEachBackward: number[][] = [];
  for (let k = 0; k < 3; k++) {
    mul(x, 100).sum().backward();
    gradAfterEachBackward.push(list(x.grad)!);
  }
  optimizer.step();
  const xAfterAccumulated = list(x)!;
  optimizer.zeroGrad();
  const gradAfterZeroGrad = list(x.grad);

  // 2) a training loop with and without zeroGrad
  const loop = (zero: boolean): number[][] => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr });
    const xs: number[][] = [];
    for (let k = 0; k < 3; k++) {
      if (zero) opt.zeroGrad();
      mul(p, 100).sum().backward();
      opt.step();
      xs.push(list(p)!);
    }
    return xs;
  };
  return { gradAfterEachBackward, xAfterAccumulated, xWithZeroGrad: loop(true), xWithoutZeroGrad: loop(false), gradAfterZeroGrad };
}

/** `step()` only reads `.grad`: a gradient assigned by hand is used just the same. */
export function stepReadsGrad(lr = 0.1): { xBefore: number[]; grad: number[]; xAfter: number[] } {
  setupCpu();
  const x = tensor([1, 2], { requiresGrad: true });
  const optimizer = new SGD([x], { lr });
  x.grad = tensor([5, -5]); // no loss, no backward: the optimizer never sees a loss anyway
  const xBefore = list(x)!;
  optimizer.step();
  return { xBefore, grad: [5, -5], xAfter: list(x)! };
}

/** Solution 4: `pred.clone().detach()` cuts the graph, so the model gets no gradients. */
export interface DetachResult {
  /** `loss.requiresGrad` when computed from the attached / detached prediction. */
  attachedRequiresGrad: boolean;
  detachedRequiresGrad: boolean;
  /** The error `backward()` throws on the detached loss. */
  backwardError: string;
  /** The model's `.grad`s after that (all null). */
  gradsAfter: Array<number[] | null>;
  /** Whether `optimizer.step()` then left the weights unchanged (true). */
  weightsUnchanged: boolean;
  /** For contrast, the attached loss does update them. */
  weightsChangedWhenAttached: boolean;
}

export function detachCutsGraph(lr = 0.1): DetachResult {
  setupCpu();
  manualSeed(1);
  const model = new Linear(2, 1);
  const optimizer = new SGD(model.parameters(), { lr });
  const input = tensor([[1, 2], [3, 4]]);
  const target = tensor([[1], [0]]);
  const before = model.parameters().map((p) => list(p)!);

  const pred = model.call(input);
  const detached = pred.clone().detach();
  const lossDetached = detached.sub(target).pow(2).mean();
  let backwardError = '';
  try {
    lossDetached.backward();
  } catch (e) {
    backwardError = (e as Error).message;
  }
  const gradsAfter = model.parameters().map((p) => list(p.grad));
  optimizer.step(); // parameters without .grad are skipped
  const weightsUnchanged = model.parameters().every((p, i) => list(p)!.every((v, j) => v === before[i]![j]));

  const lossAttached = model.call(input).sub(target).pow(2).mean();
  const attachedRequiresGrad = lossAttached.requiresGrad;
  optimizer.zeroGrad();
  lossAttached.backward();
  optimizer.step();
  const weightsChangedWhenAttached = model.parameters().some((p, i) => list(p)!.some((v, j) => v !== before[i]![j]));
  return {
    attachedRequiresGrad,
    detachedRequiresGrad: lossDetached.requiresGrad,
    backwardError,
    gradsAfter,
    weightsUnchanged,
    weightsChangedWhenAttached,
  };
}
