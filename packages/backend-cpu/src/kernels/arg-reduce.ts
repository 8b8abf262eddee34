import { ARG_REDUCE_KERNELS, type ArgReduceKernel, checkAxis, fmtShape, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';
import { planReduction } from './reduce-plan.js';

/**
 * A CPU kernel for argmax/argmin along one axis: the index (int32) of the first extremum,
 * where a NaN counts as the extremum (the first NaN wins), as in PyTorch. A size-0 axis throws.
 */
export function makeArgReduceKernel(name: ArgReduceKernel): KernelConfig {
  const isMax = name === 'argmax';
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const x = inputs[0];
    if (x === undefined) throw new TypeError(`${name}: expected one input`);
    checkAxis(name, attrs.axis, x.shape.length, true);
    const plan = planReduction(name, x.shape, [attrs.axis], attrs.keepdim);
    if (plan.emptyReduction) {
      throw new RangeError(`${name}(): cannot reduce over axis ${attrs.axis} of size 0 (input shape ${fmtShape(x.shape)})`);
    }
    const xv = cpu.dataOf(x);
    const { bases, reduced } = plan;
    const out = new Int32Array(bases.length);
    for (let o = 0; o < bases.length; o++) {
      const base = bases[o] as number;
      let best = xv[base] as number;
      let bestIdx = 0;
      if (best === best) {
        for (let r = 1; r < reduced.length; r++) {
          const v = xv[base + (reduced[r] as number)] as number;
          if (v !== v) {
            bestIdx = r;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bestIdx = r;
          }
        }
      }
      out[o] = bestIdx;
    }
    return cpu.makeOutput(out, plan.outShape, 'int32');
  });
}

/** argmax, argmin. */
export const ARG_REDUCE_CPU_KERNELS: readonly KernelConfig[] = ARG_REDUCE_KERNELS.map(makeArgReduceKernel);
