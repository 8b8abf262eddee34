/**
 * The page: wires the controls to a {@link Trainer}, draws the charts after every step, and exposes
 * `window.__playground` for tests and the console.
 */
import { drawFitChart, drawLossChart } from './chart.js';
import { chooseBackend, target, Trainer } from './trainer.js';

/** The test hook on `window.__playground`. */
export interface PlaygroundHook {
  /** `'webgpu'` or `'cpu'`. */
  backend: 'webgpu' | 'cpu';
  /** The WebGPU adapter, when on WebGPU. */
  adapter: string;
  /** Why the page fell back to the CPU (empty on WebGPU). */
  fallbackReason: string;
  /** Steps on the current trajectory. */
  readonly stepCount: number;
  /** `losses[k]`: the full-data loss after k steps (`losses[stepCount]` is the loss shown). */
  readonly losses: number[];
  /** The loss shown. */
  readonly currentLoss: number;
  /** The learning rate of the next step. */
  readonly lr: number;
  /** How many steps can be undone now. */
  readonly maxBackSteps: number;
  /** The back-steps taken so far. */
  readonly backSteps: { from: number; to: number; loss: number }[];
  /** Every parameter's values (model.parameters() order). */
  params(): Promise<number[][]>;
  /** Trains `n` steps; resolves when done. */
  train(n: number): Promise<void>;
  /** Undoes the last `n` steps. */
  stepBack(n?: number): Promise<void>;
  /** Sets the learning rate of the next steps. */
  setLr(lr: number): Promise<void>;
  /** Resolves when every queued action has finished. */
  idle(): Promise<void>;
}

declare global {
  interface Window {
    __playground?: PlaygroundHook;
  }
}

function $<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`#${id} is missing from the page`);
  return e as T;
}

const GRID_X = Array.from({ length: 121 }, (_, i) => -2 + (4 * i) / 120);
const GRID_TARGET = GRID_X.map(target);

async function main(): Promise<void> {
  const notice = $('backend-notice');
  const trainBtn = $<HTMLButtonElement>('train');
  const backBtn = $<HTMLButtonElement>('step-back');
  const setLrBtn = $<HTMLButtonElement>('set-lr');
  const trainSteps = $<HTMLInputElement>('train-steps');
  const backSteps = $<HTMLInputElement>('back-steps');
  const lrInput = $<HTMLInputElement>('lr');
  const errorBox = $('error');
  const log = $('log');
  const lossChart = document.getElementById('loss-chart') as unknown as SVGSVGElement;
  const fitChart = document.getElementById('fit-chart') as unknown as SVGSVGElement;

  const forceCpu = new URLSearchParams(location.search).get('backend') === 'cpu';
  const choice = await chooseBackend(forceCpu);
  if (choice.backend === 'webgpu') {
    notice.className = 'notice webgpu';
    notice.textContent = `Training on WebGPU (${choice.adapter}).`;
  } else {
    notice.className = 'notice cpu';
    notice.textContent = `WebGPU is not available — training on the CPU backend instead. Reason: ${choice.fallbackReason}`;
  }
  const trainer = await Trainer.create(choice.engine, { lr: Number(lrInput.value) || 0.02 });

  const addLog = (text: string): void => {
    const li = document.createElement('li');
    li.textContent = text;
    log.prepend(li);
  };
  let predictions: number[] = [];
  const refreshFit = async (): Promise<void> => {
    predictions = await trainer.predict(GRID_X);
  };
  const render = (): void => {
    $('step').textContent = String(trainer.stepCount);
    const loss = $('loss');
    loss.textContent = trainer.currentLoss.toPrecision(7);
    loss.dataset['exact'] = String(trainer.currentLoss);
    $('lr-now').textContent = String(Number(trainer.lr.toPrecision(6)));
    $('undo-info').textContent = `${trainer.maxBackSteps} step${trainer.maxBackSteps === 1 ? '' : 's'} (${(trainer.history.bytes() / 1024).toFixed(0)} KiB of snapshots)`;
    backSteps.max = String(Math.max(1, trainer.maxBackSteps));
    drawLossChart(lossChart, trainer);
    drawFitChart(fitChart, trainer.dataX, trainer.dataY, GRID_X, GRID_TARGET, predictions);
  };

  // actions run one at a time, in order
  let queue: Promise<void> = Promise.resolve();
  let busy = 0;
  const setBusy = (delta: number): void => {
    busy += delta;
    for (const b of [trainBtn, backBtn, setLrBtn]) b.disabled = busy > 0;
  };
  const enqueue = <T>(action: () => Promise<T>): Promise<T> => {
    setBusy(1);
    const run = queue.then(async () => {
      errorBox.hidden = true;
      try {
        return await action();
      } catch (e) {
        errorBox.hidden = false;
        errorBox.textContent = (e as Error).message;
        throw e;
      } finally {
        setBusy(-1);
      }
    });
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  const intArg = (v: unknown, what: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${String(v)}`);
    return n;
  };

  const train = (n: number): Promise<void> =>
    enqueue(async () => {
      const steps = intArg(n, 'steps to train');
      const start = trainer.stepCount;
      const lr = trainer.lr;
      for (let i = 0; i < steps; i++) {
        await trainer.step();
        if (i % 5 === 4 || i === steps - 1) await refreshFit();
        render();
        await new Promise((r) => setTimeout(r, 0)); // let the page paint
      }
      addLog(`trained steps ${start + 1}–${trainer.stepCount} from lr ${Number(lr.toPrecision(4))}: loss ${trainer.currentLoss.toPrecision(5)}`);
    });
  const stepBack = (n = 1): Promise<void> =>
    enqueue(async () => {
      const mark = trainer.stepBack(intArg(n, 'steps to undo'));
      lrInput.value = String(Number(trainer.lr.toPrecision(6)));
      await refreshFit();
      render();
      addLog(`stepped back from step ${mark.from} to ${mark.to}: loss ${trainer.currentLoss.toPrecision(5)} again, lr ${Number(trainer.lr.toPrecision(4))}`);
    });
  const setLr = (lr: number): Promise<void> =>
    enqueue(async () => {
      trainer.setLr(Number(lr));
      lrInput.value = String(trainer.lr);
      render();
      addLog(`learning rate set to ${trainer.lr} at step ${trainer.stepCount}`);
    });

  const report = (p: Promise<void>): void => {
    p.catch(() => undefined); // shown in #error
  };
  trainBtn.addEventListener('click', () => report(train(Number(trainSteps.value))));
  backBtn.addEventListener('click', () => report(stepBack(Number(backSteps.value))));
  setLrBtn.addEventListener('click', () => report(setLr(Number(lrInput.value))));
  lrInput.addEventListener('change', () => report(setLr(Number(lrInput.value))));

  window.__playground = {
    backend: choice.backend,
    adapter: choice.adapter,
    fallbackReason: choice.fallbackReason,
    get stepCount() {
      return trainer.stepCount;
    },
    get losses() {
      return trainer.points.map((p) => p.loss);
    },
    get currentLoss() {
      return trainer.currentLoss;
    },
    get lr() {
      return trainer.lr;
    },
    get maxBackSteps() {
      return trainer.maxBackSteps;
    },
    get backSteps() {
      return trainer.backSteps.map((b) => ({ ...b }));
    },
    params: () => enqueue(() => trainer.params()),
    train,
    stepBack,
    setLr,
    idle: () => queue,
  };

  await refreshFit();
  render();
  addLog(`ready on ${choice.backend}: loss ${trainer.currentLoss.toPrecision(5)} at step 0`);
  setBusy(0);
  document.body.dataset['ready'] = 'true';
}

main().catch((e: unknown) => {
  const box = document.getElementById('error');
  if (box) {
    box.hidden = false;
    box.textContent = `The playground failed to start: ${(e as Error).message}`;
  }
  console.error(e);
});
