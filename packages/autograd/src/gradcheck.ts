import { Tensor } from '@backstep/tensor';
import { releaseGraph } from './backward.js';
import { grad } from './grad.js';
import { enableGrad, noGrad } from './grad-mode.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, relative to the numerical value (default 1e-3). */
  rtol?: number;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function outputsOf(r: Tensor | readonly Tensor[]): Tensor[] {
  const list = r instanceof Tensor ? [r] : [...r];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`gradcheck: fn must return a Tensor or an array of Tensors (output ${i} is not)`);
  });
  return list;
}

function unravel(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx.unshift(flat % s);
    flat = Math.floor(flat / s);
  }
  return `[${idx.join(', ')}]`;
}

function readFloat64(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

/** Rows of d out / d input_c for every checked input c: one backward (vector-Jacobian product) per output element. */
function jacobianOf(out: Tensor, o: number, inputs: readonly Tensor[], checked: readonly number[]): Float64Array[] {
  if (out.dtype !== 'float64') throw new TypeError(`gradcheck: output ${o} has dtype ${out.dtype}; gradcheck needs float64 outputs`);
  const engine = out.engine;
  const n = out.numel();
  const jac = checked.map((i) => new Float64Array(n * (inputs[i] as Tensor).numel()));
  if (!out.requiresGrad) return jac;
  for (let k = 0; k < n; k++) {
    const unit = new Float64Array(n);
    unit[k] = 1;
    engine.tidy(() => {
      const v = engine.makeTensor(unit, out.shape, 'float64', out.backendName);
      const gs = grad([out], checked.map((i) => inputs[i] as Tensor), { gradOutputs: [v], retainGraph: true, allowUnused: true });
      gs.forEach((g, c) => {
        if (g !== null) (jac[c] as Float64Array).set(readFloat64(g), k * g.numel());
      });
    });
  }
  return jac;
}

/** Analytical Jacobians: jac[o][c][k * n_c + j] = d out_o[k] / d input_c[j]. */
function analyticalJacobian(fn: Fn, inputs: readonly Tensor[], checked: readonly number[]): Float64Array[][] {
  const engine = (inputs[checked[0] as number] as Tensor).engine;
  return engine.tidy(() => {
    const outs = enableGrad(() => outputsOf(fn(...inputs)));
    try {
      return outs.map((out, o) => jacobianOf(out, o, inputs, checked));
    } finally {
      for (const out of outs) releaseGraph(out);
    }
  });
}

function evaluate(fn: Fn, inputs: readonly Tensor[], engine: Tensor['engine']): Float64Array[] {
  return engine.tidy(() => noGrad(() => outputsOf(fn(...inputs)).map(readFloat64)));
}

/** Numerical Jacobians by central differences, perturbing each input element in place. */
function numericalJacobian(fn: Fn, inputs: readonly Tensor[], checked: readonly number[], eps: number): Float64Array[][] {
  const engine = (inputs[checked[0] as number] as Tensor).engine;
  const sizes = evaluate(fn, inputs, engine).map((o) => o.length);
  const jac = sizes.map((n) => checked.map((i) => new Float64Array(n * (inputs[i] as Tensor).numel())));
  checked.forEach((i, c) => {
    const x = inputs[i] as Tensor;
    const base = readFloat64(x);
    const original = engine.keep(engine.makeTensorFromInfo(x.info(), x.backendName));
    const setTo = (values: Float64Array): void => {
      const t = engine.makeTensor(values, x.shape, 'float64', x.backendName);
      x.assignData(t);
      t.dispose();
    };
    try {
      for (let j = 0; j < base.length; j++) {
        const v = base.slice();
        v[j] = (base[j] as number) + eps;
        setTo(v);
        const plus = evaluate(fn, inputs, engine);
        v[j] = (base[j] as number) - eps;
        setTo(v);
        const minus = evaluate(fn, inputs, engine);
        x.assignData(original);
        plus.forEach((p, o) => {
          const m = minus[o] as Float64Array;
          const row = (jac[o] as Float64Array[])[c] as Float64Array;
          const n = base.length;
          for (let k = 0; k < p.length; k++) row[k * n + j] = ((p[k] as number) - (m[k] as number)) / (2 * eps);
        });
      }
    } finally {
      x.assignData(original);
      original.dispose();
    }
  });
  return jac;
}

/**
 * Checks the analytical gradients of `fn` against central finite differences (PyTorch's
 * `torch.autograd.gradcheck`). Every input that requires grad must be float64; so must the
 * outputs. Compares the full Jacobian of every output w.r.t. every such input element by element
 * with `|analytical - numerical| <= atol + rtol·|numerical|`. Throws an error naming the output,
 * input, element indices and both values on the first mismatch; returns true otherwise.
 * Reads values synchronously (CPU backend).
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (typeof fn !== 'function') throw new TypeError('gradcheck: expected a function');
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`gradcheck: input ${i} is not a Tensor`);
    t.assertLive('gradcheck');
  });
  const checked = inputs.flatMap((t, i) => (t.requiresGrad ? [i] : []));
  if (checked.length === 0) throw new Error('gradcheck: none of the inputs requires grad (create them with requiresGrad: true)');
  for (const i of checked) {
    const t = inputs[i] as Tensor;
    if (t.dtype !== 'float64') {
      throw new TypeError(`gradcheck: input ${i} has dtype ${t.dtype}; gradcheck needs float64 inputs for accurate finite differences (use .double())`);
    }
    if (!t.isLeaf) throw new Error(`gradcheck: input ${i} must be a leaf tensor (create it with requiresGrad: true)`);
  }
  const analytical = analyticalJacobian(fn, inputs, checked);
  const numerical = numericalJacobian(fn, inputs, checked, eps);
  if (analytical.length !== numerical.length) throw new Error('gradcheck: fn returned a different number of outputs on re-evaluation');
  analytical.forEach((perInput, o) => {
    perInput.forEach((a, c) => {
      const n = (numerical[o] as Float64Array[])[c] as Float64Array;
      const input = inputs[checked[c] as number] as Tensor;
      const ni = input.numel();
      for (let e = 0; e < a.length; e++) {
        const av = a[e] as number;
        const nv = n[e] as number;
        if (Math.abs(av - nv) <= atol + rtol * Math.abs(nv)) continue;
        const k = Math.floor(e / ni);
        const j = e % ni;
        throw new Error(
          `gradcheck: Jacobian mismatch for output ${o} with respect to input ${checked[c]}: ` +
            `d output[${k}] / d input${unravel(j, input.shape)} (input element ${j}, output element ${k} of ${a.length / ni}): ` +
            `numerical ${nv} vs analytical ${av} (atol ${atol}, rtol ${rtol})`,
        );
      }
    });
  });
  return true;
}
