/**
 * The training side of the playground: an engine with WebGPU (or the CPU backend when WebGPU is
 * missing), a small MLP fitted to a noisy 1-D curve with Adam + ExponentialLR on mini-batches drawn
 * from a seeded Generator, and a `History` of the whole training state (model + optimizer +
 * scheduler + generator) committed after every step, so any of the last steps can be undone exactly.
 */
import { noGrad, registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { createWebGpuBackend, registerWebGpuBackend } from '@backstep/backend-webgpu';
import { History } from '@backstep/checkpoint';
import { ExponentialLR } from '@backstep/lr-scheduler';
import { Linear, MSELoss, Sequential, Tanh } from '@backstep/nn';
import { Adam } from '@backstep/optim';
import { Engine, Generator, manualSeed, randint, setEngine, tensor, type Tensor } from '@backstep/tensor';

/** Which backend the playground trains on, and why. */
export interface BackendChoice {
  engine: Engine;
  backend: 'webgpu' | 'cpu';
  /** The WebGPU adapter (`vendor architecture`) when on WebGPU. */
  adapter: string;
  /** Why WebGPU is not used (empty on WebGPU). */
  fallbackReason: string;
}

/**
 * A fresh default engine with the CPU backend and autograd, plus WebGPU as the current backend when
 * `navigator.gpu` gives an adapter. `forceCpu` skips WebGPU (the page's `?backend=cpu`).
 */
export async function chooseBackend(forceCpu = false): Promise<BackendChoice> {
  const engine = new Engine();
  setEngine(engine);
  registerCpuBackend(engine, { setCurrent: true });
  registerAutograd(engine);
  if (forceCpu) return { engine, backend: 'cpu', adapter: '', fallbackReason: 'the CPU backend was requested (?backend=cpu)' };
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (gpu === undefined || gpu === null) {
    const why = globalThis.isSecureContext === false ? ' (the page is not a secure context: serve it from localhost / 127.0.0.1 or https)' : '';
    return { engine, backend: 'cpu', adapter: '', fallbackReason: `this browser has no WebGPU (navigator.gpu is missing)${why}` };
  }
  try {
    const backend = await createWebGpuBackend();
    registerWebGpuBackend(engine, backend, { setCurrent: true });
    const info = backend.adapterInfo;
    const adapter = info ? [info.vendor, info.architecture, info.description].filter((s) => s).join(' ') : '';
    return { engine, backend: 'webgpu', adapter: adapter || 'unknown adapter', fallbackReason: '' };
  } catch (e) {
    return { engine, backend: 'cpu', adapter: '', fallbackReason: (e as Error).message };
  }
}

/** One point of the loss curve: the full-data loss after `step` optimizer steps. */
export interface LossPoint {
  step: number;
  loss: number;
  /** The learning rate the step leading here used (NaN for step 0). */
  lr: number;
}

/** A stretch of the curve that a back-step undid (starts at the point stepped back to). */
export interface Branch {
  points: LossPoint[];
}

/** Where a back-step happened: from step `from` back to step `to` (whose loss is `loss`). */
export interface BackStepMark {
  from: number;
  to: number;
  loss: number;
}

/** Where the learning rate was set by hand. */
export interface LrMark {
  step: number;
  lr: number;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** Seed of the weights, the data and the mini-batch generator (default 0). */
  seed?: number;
  /** Initial learning rate (default 0.02). */
  lr?: number;
  /** ExponentialLR's decay per step (default 0.998). */
  gamma?: number;
  /** Mini-batch size (default 32). */
  batchSize?: number;
  /** How many steps can be undone (History capacity − 1; default 100). */
  maxBackSteps?: number;
}

/** The target curve the model learns. */
export function target(x: number): number {
  return Math.sin(3 * x) + 0.3 * x;
}

const N = 128;

/** The model, its training state, the history, and what the page draws. */
export class Trainer {
  readonly engine: Engine;
  readonly model: Sequential;
  readonly optimizer: Adam;
  readonly scheduler: ExponentialLR;
  readonly generator: Generator;
  readonly history: History;
  readonly batchSize: number;
  /** The data: x in [-2, 2] (N×1) and noisy targets. */
  readonly X: Tensor;
  readonly Y: Tensor;
  /** x and noisy y of the data, for the fit plot. */
  readonly dataX: number[];
  readonly dataY: number[];
  private readonly lossFn = new MSELoss();
  /** The current trajectory: `points[k]` is the loss after k steps (points[stepCount] is the loss shown). */
  points: LossPoint[] = [];
  /** Stretches undone by back-steps, drawn faded. */
  branches: Branch[] = [];
  backSteps: BackStepMark[] = [];
  lrMarks: LrMark[] = [];

  private constructor(engine: Engine, options: TrainerOptions) {
    this.engine = engine;
    const seed = options.seed ?? 0;
    this.batchSize = options.batchSize ?? 32;
    const backend = engine.backendName;
    // initialise on the CPU (the same weights on either backend), then move to the current backend
    engine.setBackend('cpu');
    manualSeed(seed);
    this.model = new Sequential(new Linear(1, 32), new Tanh(), new Linear(32, 32), new Tanh(), new Linear(32, 1));
    this.generator = new Generator(seed + 1);
    engine.setBackend(backend);
    this.model.to(backend);
    const noise = new Generator(seed + 2);
    this.dataX = Array.from({ length: N }, (_, i) => Math.fround(-2 + (4 * i) / (N - 1)));
    this.dataY = this.dataX.map((x) => Math.fround(target(x) + 0.05 * noise.nextNormalSample()));
    this.X = engine.keep(tensorOf(this.dataX, [N, 1]));
    this.Y = engine.keep(tensorOf(this.dataY, [N, 1]));
    this.optimizer = new Adam(this.model.parameters(), { lr: options.lr ?? 0.02 });
    this.scheduler = new ExponentialLR(this.optimizer, { gamma: options.gamma ?? 0.998 });
    this.history = new History(
      { model: this.model, optimizer: this.optimizer, scheduler: this.scheduler, generator: this.generator },
      { capacity: (options.maxBackSteps ?? 100) + 1 },
    );
  }

  /** Builds the trainer on the engine's current backend and records step 0. */
  static async create(engine: Engine, options: TrainerOptions = {}): Promise<Trainer> {
    const t = new Trainer(engine, options);
    t.history.commit({ step: 0 });
    t.points = [{ step: 0, loss: await t.evalLoss(), lr: Number.NaN }];
    return t;
  }

  /** Optimizer steps taken on the current trajectory. */
  get stepCount(): number {
    return this.points.length - 1;
  }

  /** The loss shown: the full-data loss at the current parameters. */
  get currentLoss(): number {
    return (this.points[this.points.length - 1] as LossPoint).loss;
  }

  /** The learning rate the next step will use. */
  get lr(): number {
    return this.optimizer.paramGroups[0]!.lr;
  }

  /** How many steps can be undone now. */
  get maxBackSteps(): number {
    return this.history.length - 1;
  }

  /** The full-data MSE at the current parameters. */
  async evalLoss(): Promise<number> {
    const loss = this.engine.tidy(() => noGrad(() => this.lossFn.call(this.model.call(this.X), this.Y)));
    try {
      return await loss.itemAsync();
    } finally {
      loss.dispose();
    }
  }

  /** One Adam step on a random mini-batch, the scheduler step, a History commit; returns the new loss point. */
  async step(): Promise<LossPoint> {
    const lr = this.lr;
    const loss = this.engine.tidy(() => {
      this.optimizer.zeroGrad();
      const idx = randint(0, N, [this.batchSize], { generator: this.generator });
      this.lossFn.call(this.model.call(this.X.indexSelect(0, idx)), this.Y.indexSelect(0, idx)).backward();
      this.optimizer.step();
      this.scheduler.step();
      return noGrad(() => this.lossFn.call(this.model.call(this.X), this.Y));
    });
    let value: number;
    try {
      value = await loss.itemAsync();
    } finally {
      loss.dispose();
    }
    const point = { step: this.stepCount + 1, loss: value, lr };
    this.history.commit({ step: point.step });
    this.points.push(point);
    return point;
  }

  /**
   * Undoes the last `n` steps exactly: restores model, Adam state, scheduler and generator from the
   * snapshot taken after step `stepCount − n` (History keeps it, so it can be returned to again).
   */
  stepBack(n = 1): BackStepMark {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`step back: n must be a positive integer, got ${n}`);
    if (n > this.maxBackSteps) {
      throw new RangeError(`step back: only ${this.maxBackSteps} step${this.maxBackSteps === 1 ? '' : 's'} can be undone (history holds ${this.history.length} snapshots)`);
    }
    const from = this.stepCount;
    const to = from - n;
    const info = this.history.backStep(n + 1);
    if (info.step !== to) throw new Error(`step back: history restored step ${info.step}, expected ${to}`);
    this.branches.push({ points: this.points.slice(to) });
    this.points = this.points.slice(0, to + 1);
    // a learning rate set at or after `to` was part of the optimizer state just restored
    this.lrMarks = this.lrMarks.filter((m) => m.step < to);
    const mark = { from, to, loss: this.currentLoss };
    this.backSteps.push(mark);
    return mark;
  }

  /** Sets every param group's learning rate (the scheduler decays from it on the next steps). */
  setLr(lr: number): void {
    if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`learning rate must be a positive number, got ${lr}`);
    for (const g of this.optimizer.paramGroups) g.lr = lr;
    this.lrMarks = this.lrMarks.filter((m) => m.step !== this.stepCount);
    this.lrMarks.push({ step: this.stepCount, lr });
  }

  /** Every parameter's values, in `model.parameters()` order. */
  async params(): Promise<number[][]> {
    return Promise.all(this.model.parameters().map(async (p) => Array.from(await p.data())));
  }

  /** The model's predictions on `xs`. */
  async predict(xs: number[]): Promise<number[]> {
    const out = this.engine.tidy(() => noGrad(() => this.model.call(tensorOf(xs, [xs.length, 1]))));
    try {
      return Array.from(await out.data());
    } finally {
      out.dispose();
    }
  }
}

function tensorOf(values: number[], shape: number[]): Tensor {
  return tensor(values, { shape });
}
