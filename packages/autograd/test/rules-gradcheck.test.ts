/**
 * Finite-difference checks (float64) of every gradient rule, through the op front-ends, with
 * broadcasting cases; plus a check that every differentiable kernel has at least one case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getEngine, memory, type Tensor } from '@backstep/tensor';
import { differentiableKernels, enableGrad, GradFn, gradcheck, releaseGraph } from '../src/index.js';
import type { GradCase } from './cases.js';
import { BINARY_CASES, MISC_CASES, UNARY_CASES } from './cases-elementwise.js';
import { DENSE_CASES, INDEXING_CASES, REDUCE_CASES, SHAPE_CASES } from './cases-structural.js';
import { setup } from '../../../tools/testing/cpu-setup.js';

beforeAll(setup);

const ALL: GradCase[] = [...UNARY_CASES, ...BINARY_CASES, ...MISC_CASES, ...REDUCE_CASES, ...SHAPE_CASES, ...INDEXING_CASES, ...DENSE_CASES];

/** Kernel names of every node in the graph behind `t`. */
function graphKernels(t: Tensor): Set<string> {
  const out = new Set<string>();
  const stack = t.gradFn instanceof GradFn ? [t.gradFn] : [];
  while (stack.length > 0) {
    const n = stack.pop() as GradFn;
    if (out.has(n.kernelName) && n.nextEdges.every((e) => !(e instanceof GradFn))) continue;
    out.add(n.kernelName);
    for (const e of n.nextEdges) if (e instanceof GradFn) stack.push(e);
  }
  return out;
}

describe('gradcheck of every gradient rule', () => {
  it('every differentiable kernel has a case', () => {
    const covered = new Set(ALL.map((c) => c.kernel));
    const missing = differentiableKernels().filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
    // and the non-differentiable ones really have no rule
    for (const k of ['argmax', 'argmin', 'eq', 'lt', 'logicalAnd', 'logicalNot', 'isnan', 'isinf', 'fill']) {
      expect(differentiableKernels()).not.toContain(k);
    }
  });

  for (const c of ALL) {
    it(`${c.name}`, () => {
      const before = memory().numTensors;
      getEngine().tidy(() => {
        const inputs = c.inputs();
        const out = enableGrad(() => c.fn(...inputs));
        expect(graphKernels(out)).toContain(c.kernel);
        releaseGraph(out);
        expect(gradcheck(c.fn, inputs, c.options)).toBe(true);
      });
      expect(memory().numTensors).toBe(before);
    });
  }
});
