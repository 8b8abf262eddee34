/**
 * Seed 000 ("Can I do a backward step in optimization?"): undo `optimizer.step()` exactly and try
 * again with a different learning rate. The seed's own attempt restored only the model
 * (`load_state_dict(k)`); as the reply in the thread points out, Adam's running moments (and its
 * step count) moved on, so the retry is not the step it would have been. `History` from
 * `@backstep/checkpoint` snapshots the model AND the optimizer (copy-on-write, no data copied) and
 * restores both bit-exactly. `RollbackGuard` does the same automatically, here for a NaN batch.
 */
import { noGrad } from '@backstep/autograd';
import { History, RollbackGuard, type RollbackEvent } from '@backstep/checkpoint';
import { Linear, Module, MSELoss } from '@backstep/nn';
import { Adam } from '@backstep/optim';
import { Generator, manualSeed, randn, tensor, tidy, type Tensor } from '@backstep/tensor';
import { bitIdentical, maxAbsDiff } from '../shared/bits.js';
import { setupCpu } from '../shared/setup.js';

/** The seed's `small_perceptron`: one `Linear(3, 2)` layer. */
export class SmallPerceptron extends Module<[Tensor], Tensor> {
  lin1: Linear;
  constructor(inp = 3, out = 2) {
    super();
    this.lin1 = new Linear(inp, out, { bias: true });
  }
  override forward(x: Tensor): Tensor {
    return this.lin1.call(x);
  }
}

/** Options of {@link runBackstepRetry}. */
export interface BackstepRetryOptions {
  /** Seed of the model's initial weights and of the data. */
  seed?: number;
  /** Ordinary Adam steps taken first (lr `lr`). */
  warmupSteps?: number;
  /** Adam's learning rate for the warm-up (the seed: 0.01, weight decay 0.1). */
  lr?: number;
  /** The too-high learning rate of the bad step. */
  badLr?: number;
  /** The learning rate of the retry. */
  retryLr?: number;
}

/** A freshly seeded model + Adam (weight decay 0.1, as in the seed) + data. */
export interface Setup {
  model: SmallPerceptron;
  optimizer: Adam;
  X: Tensor;
  Y: Tensor;
  lossFn: MSELoss;
}

/** Builds the model, Adam and a small regression problem `Y = X Wᵀ + b + noise` deterministically. */
export function makeSetup(seed = 0, lr = 0.01): Setup {
  setupCpu();
  manualSeed(seed);
  const model = new SmallPerceptron();
  const optimizer = new Adam(model.parameters(), { lr, weightDecay: 0.1 });
  const g = new Generator(seed + 1000);
  const X = randn([32, 3], { generator: g });
  const W = tensor([[1.5, -2.0, 0.5], [0.3, 0.8, -1.2]]);
  const Y = X.matmul(W.t()).add(tensor([0.5, -0.25])).add(randn([32, 2], { generator: g }).mul(0.05));
  return { model, optimizer, X, Y, lossFn: new MSELoss() };
}

/** zeroGrad → loss → backward → step on the full batch; returns the loss before the step. */
export function trainStep(s: Setup, x: Tensor = s.X, y: Tensor = s.Y): number {
  return tidy(() => {
    s.optimizer.zeroGrad();
    const loss = s.lossFn.call(s.model.call(x), y);
    loss.backward();
    s.optimizer.step();
    return loss.item();
  });
}

/** The loss at the current parameters (no graph). */
export function evalLoss(s: Setup): number {
  return tidy(() => noGrad(() => s.lossFn.call(s.model.call(s.X), s.Y).item()));
}

/** Copies of every parameter and every Adam state tensor, plus the step counts. */
export interface StateCopy {
  params: Tensor[];
  expAvg: Tensor[];
  expAvgSq: Tensor[];
  step: number[];
}

/** Takes a {@link StateCopy} (real copies, to compare bits with later). */
export function copyState(s: Setup): StateCopy {
  const ps = s.model.parameters();
  const st = ps.map((p) => s.optimizer.state.get(p)!);
  const keepClone = (t: Tensor) => t.engine.keep(t.detach().clone());
  return {
    params: ps.map(keepClone),
    expAvg: st.map((x) => keepClone(x.expAvg as Tensor)),
    expAvgSq: st.map((x) => keepClone(x.expAvgSq as Tensor)),
    step: st.map((x) => x.step as number),
  };
}

/** Whether two state copies are bit-identical, part by part. */
export function compareStates(a: StateCopy, b: StateCopy): { params: boolean; expAvg: boolean; expAvgSq: boolean; step: boolean; maxParamDiff: number; maxExpAvgDiff: number } {
  const all = (x: Tensor[], y: Tensor[]) => x.every((t, i) => bitIdentical(t, y[i]!));
  const max = (x: Tensor[], y: Tensor[]) => Math.max(...x.map((t, i) => maxAbsDiff(t, y[i]!)));
  return {
    params: all(a.params, b.params),
    expAvg: all(a.expAvg, b.expAvg),
    expAvgSq: all(a.expAvgSq, b.expAvgSq),
    step: a.step.every((v, i) => v === b.step[i]),
    maxParamDiff: max(a.params, b.params),
    maxExpAvgDiff: max(a.expAvg, b.expAvg),
  };
}

/** The numbers the example prints. */
export interface BackstepRetryResult {
  /** Loss before the bad step, right after it, after `history.backStep()`, after the retry. */
  lossBefore: number;
  lossAfterBadStep: number;
  lossAfterBackStep: number;
  lossAfterRetry: number;
  /** The lr in the param group right after `backStep()` (restored with the optimizer's state). */
  lrAfterBackStep: number;
  /** State after `backStep()` compared with the state before the bad step: all bit-identical. */
  restored: ReturnType<typeof compareStates>;
  /** Adam's step count before the bad step / after it / after the back-step. */
  adamStep: { before: number; afterBad: number; afterBackStep: number };
  /** The retry compared with a run that never took the bad step and stepped with `retryLr` directly: bit-identical. */
  retryVsReference: ReturnType<typeof compareStates>;
  /** The seed's approach — restore only the model (`model.loadStateDict(k)`), then retry — compared with the same reference. */
  modelOnly: {
    /** The model's outputs on the first sample: before the step, after it, after `loadStateDict(k)` (same as before). */
    outputs: { before: number[]; afterStep: number[]; afterLoad: number[] };
    /** Adam's step count after the retry (one too many) vs the reference. */
    adamStep: number;
    referenceAdamStep: number;
    vsReference: ReturnType<typeof compareStates>;
  };
  /** History bookkeeping: bytes held by the snapshots. */
  snapshotBytes: number;
}

/** The whole back-step-and-retry story. */
export function runBackstepRetry(options: BackstepRetryOptions = {}): BackstepRetryResult {
  const seed = options.seed ?? 0;
  const warmup = options.warmupSteps ?? 20;
  const lr = options.lr ?? 0.01;
  const badLr = options.badLr ?? 3.0;
  const retryLr = options.retryLr ?? 0.02;

  // 1) train, snapshot, take a bad step, back-step, change the lr, retry
  const s = makeSetup(seed, lr);
  const history = new History({ model: s.model, optimizer: s.optimizer }, { capacity: 4 });
  for (let i = 0; i < warmup; i++) trainStep(s);
  const lossBefore = evalLoss(s);
  const pre = copyState(s);
  history.commit({ step: warmup, label: 'before the bad step' });
  const snapshotBytes = history.bytes();
  s.optimizer.paramGroups[0]!.lr = badLr;
  trainStep(s);
  const lossAfterBadStep = evalLoss(s);
  const afterBadStep = s.optimizer.state.get(s.model.parameters()[0]!)!.step as number;
  history.backStep();
  const lrAfterBackStep = s.optimizer.paramGroups[0]!.lr;
  const lossAfterBackStep = evalLoss(s);
  const restoredState = copyState(s);
  const restored = compareStates(restoredState, pre);
  s.optimizer.paramGroups[0]!.lr = retryLr;
  trainStep(s);
  const lossAfterRetry = evalLoss(s);
  const retried = copyState(s);

  // 2) reference: the same run, but the bad step never happened
  const ref = makeSetup(seed, lr);
  for (let i = 0; i < warmup; i++) trainStep(ref);
  ref.optimizer.paramGroups[0]!.lr = retryLr;
  trainStep(ref);
  const reference = copyState(ref);

  // 3) the seed's approach: restore only the model
  const m = makeSetup(seed, lr);
  for (let i = 0; i < warmup; i++) trainStep(m);
  const x0 = m.X.index(0);
  const out = () => tidy(() => noGrad(() => Array.from(m.model.call(x0).dataSync())));
  const before = out();
  const k = m.model.stateDict(); // k = copy.deepcopy(neuronet.state_dict())
  m.optimizer.paramGroups[0]!.lr = badLr;
  trainStep(m);
  const afterStep = out();
  m.model.loadStateDict(k); // the model is back ...
  const afterLoad = out();
  m.optimizer.paramGroups[0]!.lr = retryLr; // ... but Adam still holds the bad step's moments
  trainStep(m);
  const modelOnlyState = copyState(m);

  return {
    lossBefore,
    lossAfterBadStep,
    lossAfterBackStep,
    lossAfterRetry,
    lrAfterBackStep,
    restored,
    adamStep: { before: pre.step[0]!, afterBad: afterBadStep, afterBackStep: restoredState.step[0]! },
    retryVsReference: compareStates(retried, reference),
    modelOnly: {
      outputs: { before, afterStep, afterLoad },
      adamStep: modelOnlyState.step[0]!,
      referenceAdamStep: reference.step[0]!,
      vsReference: compareStates(modelOnlyState, reference),
    },
    snapshotBytes,
  };
}

/** What the RollbackGuard demo reports. */
export interface GuardResult {
  /** Every rollback (one: the NaN batch). */
  events: RollbackEvent[];
  /** Loss of the first and the last step. */
  firstLoss: number;
  lastLoss: number;
  /** Whether every parameter is finite at the end. */
  allFinite: boolean;
  /** The final state compared with a run that never saw the NaN batch: bit-identical. */
  vsCleanRun: ReturnType<typeof compareStates>;
  /** What an unguarded run ends with (NaN weights). */
  unguardedAllFinite: boolean;
}

/**
 * `RollbackGuard` around every step; at step `nanAt` the first attempt gets a batch whose input
 * holds a NaN (a corrupted record). The loss is NaN, the guard rolls the model and Adam back, and
 * the retry (`onRollback` returns 'retry') gets the clean batch from the loader.
 */
export function runRollbackGuard(options: { seed?: number; steps?: number; nanAt?: number; batch?: number } = {}): GuardResult {
  const seed = options.seed ?? 0;
  const steps = options.steps ?? 40;
  const nanAt = options.nanAt ?? 25;
  const bs = options.batch ?? 8;
  const batchOf = (s: Setup, i: number): [Tensor, Tensor] => {
    const start = (i * bs) % s.X.shape[0]!;
    return [s.X.slice(0, start, start + bs), s.Y.slice(0, start, start + bs)];
  };
  const corrupt = (x: Tensor) => x.maskedFill(firstElementMask(x), NaN); // one NaN in the batch

  // guarded run with a NaN batch
  const s = makeSetup(seed, 0.05);
  const history = new History({ model: s.model, optimizer: s.optimizer }, { capacity: 2 });
  const guard = new RollbackGuard(history, { onRollback: () => 'retry' });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [x, y] = batchOf(s, i);
    const r = guard.step((attempt) => ({ loss: trainStep(s, i === nanAt && attempt === 0 ? corrupt(x) : x, y) }));
    losses.push(r.loss);
  }
  const guarded = copyState(s);
  const allFinite = guarded.params.every((p) => Array.from(p.dataSync()).every(Number.isFinite));

  // the same run without the NaN batch
  const c = makeSetup(seed, 0.05);
  for (let i = 0; i < steps; i++) {
    const [x, y] = batchOf(c, i);
    trainStep(c, x, y);
  }
  // and without the guard (the NaN poisons the weights for good)
  const u = makeSetup(seed, 0.05);
  for (let i = 0; i < steps; i++) {
    const [x, y] = batchOf(u, i);
    trainStep(u, i === nanAt ? corrupt(x) : x, y);
  }
  const unguardedAllFinite = u.model.parameters().every((p) => Array.from(p.dataSync()).every(Number.isFinite));
  return {
    events: guard.events,
    firstLoss: losses[0]!,
    lastLoss: losses[losses.length - 1]!,
    allFinite,
    vsCleanRun: compareStates(guarded, copyState(c)),
    unguardedAllFinite,
  };
}

/** A boolean mask selecting the first element of `x`. */
function firstElementMask(x: Tensor): Tensor {
  const m = new Array(x.numel()).fill(false);
  m[0] = true;
  return tensor(m, { dtype: 'bool', shape: x.shape as number[] });
}
