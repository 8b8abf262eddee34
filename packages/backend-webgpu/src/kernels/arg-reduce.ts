import { ARG_REDUCE_KERNELS, type ArgReduceKernel, checkAxis, fmtShape, type KernelConfig, splitAtAxis } from '@backstep/tensor';
import { defineKernel, expectInputs, gpuBackend } from './define.js';
import { grid, shader, wgslType } from './wgsl.js';

/**
 * `argmax`/`argmin` along one axis: the index (int32) of the first extremum, where a NaN counts as
 * the extremum (the first NaN wins), as in PyTorch. A size-0 axis throws. One thread per output
 * element; parameters `[count, size, inner]`.
 */
export function makeArgReduceKernel(name: ArgReduceKernel): KernelConfig {
  const better = name === 'argmax' ? '>' : '<';
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [x] = expectInputs(name, inputs, 1);
    checkAxis(name, attrs.axis, x.shape.length, true);
    const { outer, size, inner } = splitAtAxis(x.shape, attrs.axis);
    if (size === 0) throw new RangeError(`${name}(): cannot reduce over axis ${attrs.axis} of size 0 (input shape ${fmtShape(x.shape)})`);
    const outShape = x.shape.length === 0 ? [] : attrs.keepdim ? x.shape.map((d, i) => (i === attrs.axis ? 1 : d)) : x.shape.filter((_, i) => i !== attrs.axis);
    const out = gpu.makeOutput(outShape, 'int32');
    const t = wgslType(x.dtype);
    const isF = t === 'f32';
    const n = outer * inner;
    const body = `
  let inner = u32(prm[2]);
  let base = (i / inner) * u32(prm[1]) * inner + i % inner;
  var best = 0;
  var bv = x[base];
  for (var k = 1u; k < u32(prm[1]); k++) {
    ${isF ? 'if (is_nan(bv)) { break; }' : ''}
    let v = x[base + k * inner];
    if (${isF ? 'is_nan(v) || ' : ''}v ${better} bv) { best = i32(k); bv = v; }
  }
  out[i] = best;`;
    gpu.dispatch({
      key: `${name}:${t}`,
      source: () => shader({ inputs: [['x', t]], outputs: [['out', 'i32']], body }),
      inputs: [gpu.get(x.dataId)],
      outputs: [out.data],
      meta: [n, size, inner],
      workgroups: grid(n),
    });
    return out.info;
  });
}

/** argmax and argmin. */
export const ARG_REDUCE_WEBGPU_KERNELS: readonly KernelConfig[] = ARG_REDUCE_KERNELS.map(makeArgReduceKernel);
