import { describe, expect, it } from 'vitest';
import { Engine } from '@backstep/tensor';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Adam, Optimizer, SGD } from '../src/index.js';
import { mk } from './helpers.js';

/** Code written against the base class must accept every optimizer (checked by the typecheck too). */
function lrs(opt: Optimizer): number[] {
  return opt.paramGroups.map((g) => (g as unknown as { lr: number }).lr);
}

describe('Optimizer subclasses are assignable to Optimizer', () => {
  it('Adam and SGD can be passed where an Optimizer is expected', () => {
    const engine = new Engine();
    registerCpuBackend(engine);
    const p = mk(engine, [1, 2], [2], 'float32', true);
    const all: Optimizer[] = [new Adam([p], { lr: 0.5 }), new SGD([p], { lr: 0.25 })];
    expect(all.map(lrs)).toEqual([[0.5], [0.25]]);
  });
});
