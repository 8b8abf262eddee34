import { checkAxis, type KernelConfig, splitAtAxis } from '@backstep/tensor';
import { assertDTypeIn, defineKernel, expectInputs, gpuBackend } from './define.js';
import { mathHelpers } from './wgsl-math.js';
import { grid, shader } from './wgsl.js';

/**
 * softmax / logSoftmax along one axis, max-subtracted: one thread per (outer, inner) line makes
 * three passes (max, Σexp, write). log-softmax is `x - max - log Σexp`, finite where softmax
 * underflows. Parameters: `[lines, size, inner]`.
 */
function makeSoftmax(name: 'softmax' | 'logSoftmax'): KernelConfig {
  const log = name === 'logSoftmax';
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [x] = expectInputs(name, inputs, 1);
    assertDTypeIn(name, x.dtype, ['float32'], 'cast integer tensors to float first');
    checkAxis(name, attrs.axis, x.shape.length, true);
    const { outer, size, inner } = splitAtAxis(x.shape, attrs.axis);
    const out = gpu.makeOutput(x.shape, x.dtype);
    const lines = size === 0 ? 0 : outer * inner;
    gpu.dispatch({
      key: name,
      source: () =>
        shader({
          inputs: [['x', 'f32']],
          outputs: [['out', 'f32']],
          helpers: mathHelpers(['exp', 'log']),
          body: `  let size = u32(prm[1]); let inner = u32(prm[2]);
  let base = (i / inner) * size * inner + i % inner;
  var mx = -f_inf();
  for (var k = 0u; k < size; k++) {
    let v = x[base + k * inner];
    if (v > mx || is_nan(v)) { mx = v; if (is_nan(v)) { break; } }
  }
  var sum = 0.0;
  for (var k = 0u; k < size; k++) { sum += m_exp(x[base + k * inner] - mx); }
  ${log ? 'let ls = m_log(sum);' : ''}
  for (var k = 0u; k < size; k++) {
    let at = base + k * inner;
    out[at] = ${log ? 'x[at] - mx - ls' : 'm_exp(x[at] - mx) / sum'};
  }`,
        }),
      inputs: [gpu.get(x.dataId)],
      outputs: [out.data],
      meta: [lines, size, inner],
      workgroups: grid(lines),
    });
    return out.info;
  });
}

/** `softmax(x, axis)`. */
export const softmaxKernel: KernelConfig = makeSoftmax('softmax');
/** `logSoftmax(x, axis)`. */
export const logSoftmaxKernel: KernelConfig = makeSoftmax('logSoftmax');
