import { Engine } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { CpuData, registerCpuBackend } from '../src/index.js';

const engine = new Engine();
registerCpuBackend(engine, { setCurrent: true });
const N = 70000;
const ramp = (k: number): Float32Array => Float32Array.from({ length: N }, (_, i) => (i % 97) * 0.25 + k);

describe('lazy copies (copy-on-write made cheap)', () => {
  it('a large copy reads as the source values, before and after the source is released', () => {
    const x = engine.makeTensor(ramp(1), [N], 'float32');
    const y = engine.run('copy', [x], {});
    expect(y.dataId).not.toBe(x.dataId);
    x.dispose();
    const z = engine.makeTensor(ramp(5), [N], 'float32'); // may reuse x's pooled array
    expect(Array.from(y.dataSync().subarray(0, 5))).toEqual(Array.from(ramp(1).subarray(0, 5)));
    expect(y.dataSync()[N - 1]).toBe(ramp(1)[N - 1]);
    y.dispose();
    z.dispose();
  });

  it('an out-of-place Adam step on a pending copy equals copy-then-step, and leaves the source untouched', () => {
    const attrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false, step: [1] };
    const make = () => [ramp(1), ramp(2), ramp(3), ramp(4).map((v) => v * v)].map((a) => engine.makeTensor(a, [N], 'float32'));
    const adam = engine.registry.get('adamStep', 'cpu');
    const backend = engine.getBackend('cpu');
    const [p, g, m, v] = make() as [ReturnType<typeof engine.makeTensor>, ReturnType<typeof engine.makeTensor>, ReturnType<typeof engine.makeTensor>, ReturnType<typeof engine.makeTensor>];
    const lazy = [p, m, v].map((t) => engine.run('copy', [t], {}));
    expect((lazy[0]?.dataId as CpuData).peek()).not.toBe((p.dataId as CpuData).peek());
    adam.kernelFunc({ inputs: [lazy[0]!, g, lazy[1]!, lazy[2]!].map((t) => t.info()), attrs, backend });
    const [p2, g2, m2, v2] = make() as typeof lazy & [ReturnType<typeof engine.makeTensor>];
    adam.kernelFunc({ inputs: [p2!, g2!, m2!, v2!].map((t) => t.info()), attrs, backend });
    expect(lazy[0]!.dataSync()).toEqual(p2!.dataSync());
    expect(lazy[1]!.dataSync()).toEqual(m2!.dataSync());
    expect(lazy[2]!.dataSync()).toEqual(v2!.dataSync());
    expect(p.dataSync()).toEqual(ramp(1));
  });

  it('writing a source in place first settles the copies that depend on it', () => {
    const p = engine.makeTensor(ramp(1), [N], 'float32');
    const g = engine.makeTensor(ramp(2), [N], 'float32');
    const snapshot = engine.run('copy', [p], {});
    engine.registry.get('sgdStep', 'cpu').kernelFunc({
      inputs: [p.info(), g.info()],
      attrs: { lr: 0.5, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, firstStep: [false] },
      backend: engine.getBackend('cpu'),
    });
    expect(snapshot.dataSync()).toEqual(ramp(1));
    expect(p.dataSync()[3]).toBeCloseTo(ramp(1)[3]! - 0.5 * ramp(2)[3]!, 5);
  });
});
