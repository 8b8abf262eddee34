/**
 * Optimizer trajectories of ../shared/golden/optim (PyTorch 1.13) in float32 on the WebGPU backend:
 * parameters live on webgpu, the golden gradients are fed every step, and the parameters after each
 * step are read with `await p.data()`; at the end the optimizer's state dict, read asynchronously
 * (`toPyTorchStateDictAsync`), is compared with PyTorch's. The optimizers are @backstep/optim's,
 * unchanged. SGD, Adam and AdamW run twice: with the fused WGSL kernels (`sgdStep`, `adamStep`, in
 * place) and on an engine without them (composed tensor ops); the other optimizers have no fused
 * kernel, so their one run is the composed path. LBFGS is in golden-lbfgs.test.ts.
 */
import * as optim from '@backstep/optim';
import { Tensor, tensor, type Engine } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { compareValues, flatData, listGolden, loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { webGpuEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
const engines = { fused: webGpuEngine(gpu, { fused: true }), composed: webGpuEngine(gpu, { fused: false }) };

interface Trajectory {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  paramGroups: Array<{ params: number[] } & Record<string, unknown>>;
  paramShapes: number[][];
  initialParams: unknown[];
  steps: number;
  tolerance: { float32: Tol };
  float32: { grads: unknown[][]; params: unknown[][]; stateDict: optim.PyTorchStateDict };
}

type Ctor = new (params: never, options: never) => optim.Optimizer<object>;
const CTORS = optim as unknown as Record<string, Ctor | undefined>;

/** The optimizers with a fused kernel (the others only have the composed path). */
const FUSED: Record<string, string> = { SGD: 'sgdStep', Adam: 'adamStep', AdamW: 'adamStep' };

const files = listGolden('optim').filter((f) => !f.includes('/lbfgs_'));

/** Compares a state-dict value (PyTorch layout, tensors as `{ shape, data }`) with the golden one. */
function compareStateValue(actual: unknown, expected: unknown, tol: Tol, label: string, errors: string[]): void {
  if (expected === null) {
    if (actual !== null) errors.push(`${label}: expected null, got ${JSON.stringify(actual)}`);
  } else if (typeof expected === 'number') {
    if (typeof actual !== 'number') errors.push(`${label}: expected a number, got ${JSON.stringify(actual)}`);
    else {
      const m = compareValues([actual], [expected], tol, label);
      if (m) errors.push(m);
    }
  } else if (typeof expected === 'boolean' || typeof expected === 'string') {
    if (actual !== expected) errors.push(`${label}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) errors.push(`${label}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
    else expected.forEach((e, i) => compareStateValue(actual[i], e, tol, `${label}[${i}]`, errors));
  } else {
    const e = expected as { shape: number[]; data: unknown };
    const a = actual as { shape: number[]; data: unknown } | null;
    if (a === null || typeof a !== 'object' || !Array.isArray(a.shape)) errors.push(`${label}: expected a tensor, got ${JSON.stringify(actual)}`);
    else if (JSON.stringify(a.shape) !== JSON.stringify(e.shape)) errors.push(`${label}: shape [${a.shape}] != [${e.shape}]`);
    else {
      const m = compareValues(flatData(a.data), flatData(e.data), tol, label);
      if (m) errors.push(m);
    }
  }
}

/** Compares a whole state dict (state entries with `tol`, hyperparameters exactly). */
function compareStateDict(sd: optim.PyTorchStateDict, golden: optim.PyTorchStateDict, tol: Tol, errors: string[]): void {
  const ids = (s: object): string => JSON.stringify(Object.keys(s).sort());
  if (ids(sd.state) !== ids(golden.state)) errors.push(`state ids ${ids(sd.state)} != ${ids(golden.state)}`);
  for (const [id, entry] of Object.entries(golden.state)) {
    const mine = sd.state[id] ?? {};
    if (ids(mine) !== ids(entry)) errors.push(`state ${id}: keys ${ids(mine)} != ${ids(entry)}`);
    for (const [k, v] of Object.entries(entry)) compareStateValue(mine[k], v, tol, `state ${id}.${k}`, errors);
  }
  if (sd.param_groups.length !== golden.param_groups.length) errors.push(`${sd.param_groups.length} param groups != ${golden.param_groups.length}`);
  golden.param_groups.forEach((g, gi) => {
    const mine = sd.param_groups[gi] ?? { params: [] };
    const keys = Object.keys(g).filter((k) => !optim.PYTORCH_ONLY_GROUP_KEYS.includes(k));
    if (ids(mine) !== JSON.stringify(keys.sort())) errors.push(`param_groups[${gi}]: keys ${ids(mine)} != ${JSON.stringify(keys)}`);
    for (const k of keys) compareStateValue(mine[k], g[k], { rtol: 0, atol: 0 }, `param_groups[${gi}].${k}`, errors);
  });
}

/** Disposes every tensor inside a (state-dict) value. */
function disposeTensors(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeTensors);
  else if (v !== null && typeof v === 'object') Object.values(v).forEach(disposeTensors);
}

async function runCase(c: Trajectory, engine: Engine): Promise<string[]> {
  const Ctor = CTORS[c.optimizer];
  if (Ctor === undefined) throw new Error(`no optimizer ${c.optimizer} in @backstep/optim`);
  const mk = (data: unknown, i: number): Tensor =>
    tensor(flatData(data), { shape: c.paramShapes[i]!, dtype: 'float32', backend: 'webgpu', engine });
  const params = c.initialParams.map((d, i) => mk(d, i).requiresGrad_());
  const groups = c.paramGroups.map((g) => ({ ...g, params: g.params.map((i) => params[i]!) }));
  const opt = new Ctor(groups as never, c.options as never);
  const errors: string[] = [];
  for (let s = 0; s < c.steps && errors.length === 0; s++) {
    params.forEach((p, i) => {
      p.grad = mk(c.float32.grads[s]![i], i);
    });
    engine.tidy(() => {
      opt.step();
    });
    const values = await Promise.all(params.map((p) => p.data()));
    values.forEach((v, i) => {
      const m = compareValues(Array.from(v), flatData(c.float32.params[s]![i]), c.tolerance.float32, `step ${s} param ${i}`);
      if (m) errors.push(m);
    });
    opt.zeroGrad();
  }
  if (errors.length === 0) {
    const sd = opt.stateDict();
    compareStateDict(await optim.toPyTorchStateDictAsync(sd), c.float32.stateDict, c.tolerance.float32, errors);
    disposeTensors(sd.state);
  }
  if (!params.every((p) => p.backendName === 'webgpu')) errors.push('a parameter left the webgpu backend');
  opt.dispose();
  for (const p of params) p.dispose();
  return errors;
}

describeGpu(gpu)('golden optimizer trajectories on webgpu (PyTorch 1.13, float32)', () => {
  it('the fused engine has the fused kernels, the composed one does not', () => {
    for (const k of ['sgdStep', 'adamStep']) {
      expect(engines.fused.hasKernel(k, 'webgpu')).toBe(true);
      expect(engines.composed.hasKernel(k, 'webgpu')).toBe(false);
    }
  });

  for (const file of files) {
    const c = loadGolden<Trajectory>(file);
    const paths = FUSED[c.optimizer] !== undefined ? (['fused', 'composed'] as const) : (['composed'] as const);
    for (const path of paths) {
      it(`${c.name} [float32, ${path}]: params every step and the final state dict`, async () => {
        const errors = await runCase(c, engines[path]);
        expect(errors, errors.join('\n')).toEqual([]);
      });
    }
  }
});
