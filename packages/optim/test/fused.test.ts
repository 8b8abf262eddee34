/**
 * The fused-kernel protocol: the optimizer uses a registered fused kernel (one multi-tensor call
 * per group and backend), falls back to composed ops without it, makes every written buffer
 * exclusive first (copy-on-write: a tensor sharing a parameter's or state's buffer keeps its
 * values) and bumps the versions of what it wrote.
 */
import { describe, expect, it } from 'vitest';
import { registerCpuBackend, CPU_FUSED_KERNELS } from '@backstep/backend-cpu';
import { detach, Engine, type KernelConfig, type Tensor } from '@backstep/tensor';
import { Adam, AdamW, SGD, type Optimizer } from '../src/index.js';
import { mk, vals } from './helpers.js';

/** An engine whose fused kernels count their calls and delegate to the CPU ones. */
function spyEngine(): { engine: Engine; calls: Record<string, number> } {
  const engine = new Engine();
  registerCpuBackend(engine, { fused: false });
  const calls: Record<string, number> = {};
  for (const k of CPU_FUSED_KERNELS) {
    const spy: KernelConfig = {
      kernelName: k.kernelName,
      backendName: 'cpu',
      kernelFunc: (args) => {
        calls[k.kernelName] = (calls[k.kernelName] ?? 0) + 1;
        return k.kernelFunc(args);
      },
    };
    engine.registerKernel(spy);
  }
  return { engine, calls };
}

const cases: Array<[string, string, (ps: Tensor[]) => Optimizer<object>]> = [
  ['SGD', 'sgdStep', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 }) as unknown as Optimizer<object>],
  ['Adam', 'adamStep', (ps) => new Adam(ps, { lr: 0.1, amsgrad: true }) as unknown as Optimizer<object>],
  ['AdamW', 'adamStep', (ps) => new AdamW(ps, { lr: 0.1 }) as unknown as Optimizer<object>],
];

describe.each(cases)('%s fused path', (_, kernel, create) => {
  it(`runs one '${kernel}' call per group per step, only for params with a grad`, () => {
    const { engine, calls } = spyEngine();
    const ps = [mk(engine, [1, 2], [2], 'float32', true), mk(engine, [3], [1], 'float64', true), mk(engine, [4], [1], 'float32', true)];
    const opt = create(ps);
    for (let s = 0; s < 3; s++) {
      ps[0]!.grad = mk(engine, [0.5, -0.5], [2], 'float32');
      ps[1]!.grad = mk(engine, [1], [1], 'float64');
      opt.step();
      opt.zeroGrad();
    }
    expect(calls[kernel]).toBe(3);
    expect(vals(ps[2])).toEqual([4]);
    expect(opt.state.has(ps[2]!)).toBe(false);
    expect(vals(ps[0])[0]).toBeLessThan(1);
  });

  it('copy-on-write: tensors sharing the parameter or state buffers keep their values; versions bump', () => {
    const { engine } = spyEngine();
    const p = mk(engine, [1, 2], [2], 'float32', true);
    const opt = create([p]);
    p.grad = mk(engine, [0.5, -0.5], [2], 'float32');
    opt.step();
    const snapshotP = detach(p);
    const stateTensors = Object.values(opt.state.get(p)!).filter((v): v is Tensor => typeof v === 'object' && v !== null && 'dataId' in v);
    expect(stateTensors.length).toBeGreaterThan(0);
    const snapshotsS = stateTensors.map((t) => detach(t));
    const before = [vals(snapshotP), ...snapshotsS.map(vals)];
    const versions = [p.version, ...stateTensors.map((t) => t.version)];
    opt.step();
    expect([vals(snapshotP), ...snapshotsS.map(vals)]).toEqual(before);
    expect(vals(p)).not.toEqual(before[0]);
    expect(p.dataId).not.toBe(snapshotP.dataId);
    expect([p.version, ...stateTensors.map((t) => t.version)].every((v, i) => v > versions[i]!)).toBe(true);
  });

  it('falls back to composed ops when the backend has no fused kernel', () => {
    const engine = new Engine();
    registerCpuBackend(engine, { fused: false });
    expect(engine.hasKernel(kernel, 'cpu')).toBe(false);
    const p = mk(engine, [1, 2], [2], 'float32', true);
    const opt = create([p]);
    p.grad = mk(engine, [0.5, -0.5], [2], 'float32');
    opt.step();
    expect(vals(p)[0]).toBeLessThan(1);
    expect(vals(p)[1]).toBeGreaterThan(2);
  });
});
