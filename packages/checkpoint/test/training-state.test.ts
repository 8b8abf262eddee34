import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { ReduceLROnPlateau, StepLR, setSchedulerWarn } from '@backstep/lr-scheduler';
import { Linear, MSELoss, Sequential, ReLU } from '@backstep/nn';
import { Adam } from '@backstep/optim';
import { Generator, randn, type Tensor } from '@backstep/tensor';
import { decodeSafetensors, loadTrainingState, saveTrainingState, statefulValue } from '../src/index.js';
import { loadCheckpoint, saveCheckpoint } from '../src/node/index.js';

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
  setSchedulerWarn(() => undefined);
});

function setup(seed: number) {
  const g = new Generator(seed);
  const model = new Sequential(new Linear(3, 5, { generator: g } as never), new ReLU(), new Linear(5, 2, { generator: g } as never));
  const optimizer = new Adam([...model.parameters()], { lr: 0.01 });
  const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  let cursor = 0;
  const data = statefulValue(() => ({ cursor }), (v) => { cursor = v.cursor; });
  const step = () => {
    const x = randn([4, 3], { generator: g });
    const y = randn([4, 2], { generator: g });
    optimizer.zeroGrad();
    new MSELoss().forward(model.forward(x), y).backward();
    optimizer.step();
    scheduler.step();
    cursor++;
  };
  return { g, model, optimizer, scheduler, data, step, cursor: () => cursor };
}

const values = (ts: Iterable<Tensor>) => [...ts].map((t) => Array.from(t.dataSync()));

describe('training-state files', () => {
  it('a saved run resumes exactly: save at step 3, load into fresh objects, continue = uninterrupted', async () => {
    const a = setup(7);
    for (let i = 0; i < 3; i++) a.step();
    const bytes = await saveTrainingState({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler, generator: a.g, data: a.data }, { step: 3, metadata: { run: 'demo' } });
    for (let i = 0; i < 3; i++) a.step();

    const b = setup(99); // different init and generator state
    const info = loadTrainingState(bytes, { model: b.model, optimizer: b.optimizer, scheduler: b.scheduler, generator: b.g, data: b.data });
    expect(info).toEqual({ step: 3, metadata: { run: 'demo' } });
    expect(b.cursor()).toBe(3);
    for (let i = 0; i < 3; i++) b.step();
    expect(values(b.model.parameters())).toEqual(values(a.model.parameters()));
    expect(b.scheduler.getLastLr()).toEqual(a.scheduler.getLastLr());
  });

  it('stores tensors under stable dotted names that safetensors readers see', async () => {
    const a = setup(1);
    a.step();
    const content = decodeSafetensors(await saveTrainingState({ model: a.model, optimizer: a.optimizer }));
    const names = [...content.tensors.keys()];
    expect(names).toContain('model.0.weight');
    expect(names).toContain('model.2.bias');
    expect(names).toContain('optimizer.state.0.expAvg');
    expect(names).toContain('optimizer.state.3.expAvgSq');
    expect(content.metadata.format).toBe('pt');
  });

  it('keeps non-finite scheduler values (ReduceLROnPlateau best = Infinity)', async () => {
    const a = setup(2);
    const plateau = new ReduceLROnPlateau(a.optimizer, { mode: 'min' });
    const bytes = await saveTrainingState({ scheduler: plateau });
    const other = new ReduceLROnPlateau(new Adam([...setup(3).model.parameters()]), { mode: 'min' });
    loadTrainingState(bytes, { scheduler: other });
    expect(other.stateDict()).toEqual(plateau.stateDict());
  });

  it('a mismatched, truncated or foreign file throws a clear error and changes nothing', async () => {
    const a = setup(4);
    a.step();
    const good = await saveTrainingState({ model: a.model, optimizer: a.optimizer });
    const b = setup(5);
    b.step();
    const before = JSON.stringify([values(b.model.parameters()), b.optimizer.stateDict().paramGroups]);
    const bState = () => JSON.stringify([values(b.model.parameters()), b.optimizer.stateDict().paramGroups]);

    // wrong architecture: the optimizer loads fine but the model's shapes differ → nothing changes
    const wide = new Sequential(new Linear(3, 7), new ReLU(), new Linear(7, 2));
    const wideOpt = new Adam([...wide.parameters()]);
    wideOpt.zeroGrad();
    const wrong = await saveTrainingState({ optimizer: a.optimizer, model: wide });
    expect(() => loadTrainingState(wrong, { optimizer: b.optimizer, model: b.model })).toThrow(/shape/);
    expect(bState()).toBe(before);

    expect(() => loadTrainingState(good, { model: b.model, optimizer: b.optimizer, scheduler: b.scheduler })).toThrow(/no state for 'scheduler'/);
    expect(() => loadTrainingState(good.subarray(0, good.length - 10), { model: b.model })).toThrow(/truncated|outside/);
    expect(() => loadTrainingState(new TextEncoder().encode('{"not":"safetensors"}'), { model: b.model })).toThrow(/safetensors/);
    const plain = (await import('../src/index.js')).encodeSafetensors([]);
    expect(() => loadTrainingState(plain, { model: b.model })).toThrow(/not a Backstep training state/);
    expect(bState()).toBe(before);
  });

  it('saveCheckpoint/loadCheckpoint go through a crash-safe file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backstep-ckpt-'));
    const path = join(dir, 'run.safetensors');
    const a = setup(6);
    a.step();
    await saveCheckpoint(path, { model: a.model, optimizer: a.optimizer }, { step: 1 });
    const b = setup(8);
    expect(loadCheckpoint(path, { model: b.model, optimizer: b.optimizer }).step).toBe(1);
    expect(values(b.model.parameters())).toEqual(values(a.model.parameters()));
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, 100));
    expect(() => loadCheckpoint(path, { model: b.model })).toThrow();
    rmSync(dir, { recursive: true });
  });
});
