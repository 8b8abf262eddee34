import { DTypeError, fmtShape, ShapeError, type KernelConfig } from '@backstep/tensor';
import { expectInputs, gpuBackend, WEBGPU } from './define.js';
import { f32Bits, grid, shader } from './wgsl.js';

/**
 * `x + alpha·u` rounded ONCE to float32, as a fused multiply-add (PyTorch's CPU `add_(u, alpha=)`)
 * — without relying on WGSL's `fma()`, whose accuracy is only that of `a * b + c`. The product is
 * split exactly (Dekker: operands cut into 12-bit halves by masking, so every partial product is
 * exact whether or not the compiler contracts), then `RN(x + p + e)` is summed as Boldo and
 * Melquiond's correctly rounded three-term sum: `(s, t) = TwoSum(x, p)`, `v = RO(t + e)` (rounded to
 * odd), result `RN(s + v)`. Exact for finite operands away from overflow and from the subnormal range
 * (where WGSL may flush).
 */
const FMA = `
fn two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = s - a;
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}
fn split_hi(a: f32) -> f32 { return bitcast<f32>(bitcast<u32>(a) & 0xfffff000u); }
fn fma_rn(a: f32, b: f32, c: f32) -> f32 {
  let p = a * b;
  if (is_nan(p) || is_inf(p) || is_nan(c) || is_inf(c) || p == 0.0) { return c + p; }
  let ah = split_hi(a);
  let al = a - ah;
  let bh = split_hi(b);
  let bl = b - bh;
  let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  let st = two_sum(c, p);
  let vw = two_sum(st.y, e);
  var v = vw.x;
  let vb = bitcast<u32>(v);
  if (vw.y != 0.0 && (vb & 1u) == 0u) {
    // round to odd: one ulp toward the remainder
    v = bitcast<f32>(select(vb - 1u, vb + 1u, (v > 0.0) == (vw.y > 0.0)));
  }
  return st.x + v;
}`;

/**
 * Optional kernel `'axpy'` (used by `@backstep/optim`'s LBFGS for float32 where the backend has no
 * float64): inputs `[x, u]` (float32, one shape), attr `alpha` (a number, rounded to float32);
 * returns a new tensor `x + alpha·u` rounded once (see {@link FMA}).
 */
export const axpyKernel: KernelConfig = {
  kernelName: 'axpy',
  backendName: WEBGPU,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const gpu = gpuBackend(backend, 'axpy');
    const [x, u] = expectInputs('axpy', inputs, 2);
    for (const t of [x, u]) if (t.dtype !== 'float32') throw new DTypeError(`axpy: expected float32 tensors on the webgpu backend, got ${t.dtype}`);
    if (x.shape.length !== u.shape.length || x.shape.some((d, i) => d !== u.shape[i])) {
      throw new ShapeError(`axpy: shapes ${fmtShape(x.shape)} and ${fmtShape(u.shape)} differ`);
    }
    const alpha = attrs['alpha'];
    if (typeof alpha !== 'number') throw new TypeError(`axpy: attr 'alpha' must be a number, got ${String(alpha)}`);
    const out = gpu.makeOutput(x.shape, 'float32');
    const n = out.data.length;
    gpu.dispatch({
      key: 'axpy',
      source: () =>
        shader({
          inputs: [['x', 'f32'], ['u', 'f32']],
          outputs: [['out', 'f32']],
          helpers: [FMA],
          body: '  out[i] = fma_rn(bitcast<f32>(prm[1]), u[i], x[i]);',
        }),
      inputs: [gpu.get(x.dataId), gpu.get(u.dataId)],
      outputs: [out.data],
      meta: [n, f32Bits(alpha)],
      workgroups: grid(n),
    });
    return out.info;
  },
};
