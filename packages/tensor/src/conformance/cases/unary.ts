import type { DType } from '../../dtype.js';
import { UNARY_KERNELS, type UnaryKernel } from '../../kernel-names.js';
import { roundTo } from '../harness.js';
import { erfSeries } from '../reference.js';
import { ALL, FLOATS, NUMERIC, type Suite } from '../suite.js';

/** How a unary kernel is checked. */
interface UnaryCase {
  /** Dtypes the kernel accepts (PyTorch semantics). */
  dtypes: readonly DType[];
  /** Output dtype bool instead of the input's. */
  bool?: boolean;
  /** Results are exact (no rounding beyond the dtype's). */
  exact?: boolean;
  /** Reference in double precision on the (dtype-rounded) input. */
  ref: (x: number) => number;
  /** Finite float inputs. */
  inputs: number[];
  /** Inputs for int32 (defaults to integer-valued float inputs). */
  intInputs?: number[];
  /** Hand-derived [input, result] pairs with non-finite inputs or results. */
  special: [number, number][];
}

const SQRT1_2 = Math.SQRT1_2;
const INF = Infinity;
const GRID = [-3, -2.25, -1.5, -1, -0.5, -0.125, 0, 0.125, 0.5, 1, 1.5, 2.25, 3];
const POS = [0.0625, 0.25, 0.5, 1, 2, 3.5, 10, 100];
const INTS = [-7, -2, -1, 0, 1, 3, 100];

/** erf reference: the Maclaurin series, used only where it is accurate (|x| ≤ 2.5). */
function erfRef(x: number): number {
  if (Math.abs(x) <= 2.5) return erfSeries(x);
  throw new Error(`erfRef: no reference for ${x}`);
}

const CASES: Record<UnaryKernel, UnaryCase> = {
  neg: { dtypes: NUMERIC, exact: true, ref: (x) => -x, inputs: GRID, intInputs: INTS, special: [[INF, -INF], [-INF, INF], [NaN, NaN]] },
  exp: { dtypes: FLOATS, ref: Math.exp, inputs: GRID, special: [[INF, INF], [-INF, 0], [NaN, NaN], [1000, INF]] },
  log: { dtypes: FLOATS, ref: Math.log, inputs: POS, special: [[0, -INF], [-1, NaN], [INF, INF], [NaN, NaN]] },
  sqrt: { dtypes: FLOATS, ref: Math.sqrt, inputs: [0, ...POS], special: [[-1, NaN], [INF, INF], [NaN, NaN]] },
  rsqrt: { dtypes: FLOATS, ref: (x) => 1 / Math.sqrt(x), inputs: POS, special: [[0, INF], [-1, NaN], [INF, 0], [NaN, NaN]] },
  abs: { dtypes: ALL, exact: true, ref: Math.abs, inputs: GRID, intInputs: INTS, special: [[INF, INF], [-INF, INF], [NaN, NaN]] },
  sign: {
    dtypes: ALL,
    exact: true,
    ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
    inputs: GRID,
    intInputs: INTS,
    special: [[INF, 1], [-INF, -1]],
  },
  sin: { dtypes: FLOATS, ref: Math.sin, inputs: GRID, special: [[NaN, NaN], [INF, NaN]] },
  cos: { dtypes: FLOATS, ref: Math.cos, inputs: GRID, special: [[NaN, NaN], [INF, NaN]] },
  tanh: { dtypes: FLOATS, ref: Math.tanh, inputs: [...GRID, 20, -20], special: [[INF, 1], [-INF, -1], [NaN, NaN]] },
  sigmoid: { dtypes: FLOATS, ref: (x) => 1 / (1 + Math.exp(-x)), inputs: [...GRID, 30, -30], special: [[INF, 1], [-INF, 0], [NaN, NaN]] },
  relu: { dtypes: NUMERIC, exact: true, ref: (x) => (x > 0 ? x : 0), inputs: GRID, intInputs: INTS, special: [[INF, INF], [-INF, 0], [NaN, NaN]] },
  gelu: { dtypes: FLOATS, ref: (x) => 0.5 * x * (1 + erfRef(x * SQRT1_2)), inputs: GRID, special: [[INF, INF], [NaN, NaN]] },
  gelutanh: {
    dtypes: FLOATS,
    ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    inputs: GRID,
    special: [[INF, INF], [NaN, NaN]],
  },
  erf: { dtypes: FLOATS, ref: erfRef, inputs: [...GRID.filter((v) => Math.abs(v) <= 2.5), 0.001, -2.5], special: [[INF, 1], [-INF, -1], [NaN, NaN]] },
  floor: { dtypes: NUMERIC, exact: true, ref: Math.floor, inputs: [-2.5, -1.5, -1, -0.25, 0, 0.25, 1, 1.75, 2.5], intInputs: INTS, special: [[INF, INF], [-INF, -INF], [NaN, NaN]] },
  ceil: { dtypes: NUMERIC, exact: true, ref: Math.ceil, inputs: [-2.5, -1.5, -1, -0.25, 0, 0.25, 1, 1.75, 2.5], intInputs: INTS, special: [[INF, INF], [-INF, -INF], [NaN, NaN]] },
  round: {
    dtypes: NUMERIC,
    exact: true,
    // half to even: hand-listed below; here only inputs with a unique nearest integer
    ref: Math.round,
    inputs: [-2.75, -1.25, -0.25, 0, 0.25, 0.75, 1.25, 2.75, 3],
    intInputs: INTS,
    special: [[INF, INF], [-INF, -INF], [NaN, NaN]],
  },
  log1p: { dtypes: FLOATS, ref: (x) => Math.log(1 + x), inputs: [-0.5, 0, 0.5, 1, 3, 100], special: [[-1, -INF], [-2, NaN], [INF, INF], [NaN, NaN]] },
  expm1: { dtypes: FLOATS, ref: (x) => Math.exp(x) - 1, inputs: [-3, -1, -0.5, 0.5, 1, 3], special: [[INF, INF], [-INF, -1], [NaN, NaN]] },
  reciprocal: { dtypes: FLOATS, ref: (x) => 1 / x, inputs: [-4, -0.5, 0.25, 1, 3, 10], special: [[0, INF], [INF, 0], [-INF, -0], [NaN, NaN]] },
  logicalNot: { dtypes: ALL, bool: true, ref: (x) => (x === 0 ? 1 : 0), inputs: GRID, intInputs: INTS, special: [[INF, 0], [NaN, 0], [0, 1]] },
  isnan: { dtypes: ALL, bool: true, ref: (x) => (Number.isNaN(x) ? 1 : 0), inputs: GRID, intInputs: INTS, special: [[INF, 0], [-INF, 0], [NaN, 1]] },
  isinf: { dtypes: ALL, bool: true, ref: (x) => (x === INF || x === -INF ? 1 : 0), inputs: GRID, intInputs: INTS, special: [[INF, 1], [-INF, 1], [NaN, 0]] },
};

function inputsFor(c: UnaryCase, dtype: DType): number[] {
  if (dtype === 'bool') return [0, 1, 1, 0, 1, 0];
  if (dtype === 'int32') return c.intInputs ?? c.inputs.filter(Number.isInteger);
  return c.inputs;
}

/** Registers the cases of every unary kernel. */
export function unaryCases(s: Suite): void {
  for (const name of UNARY_KERNELS) {
    const uc = CASES[name];
    s.kernel(name, () => {
      s.each(uc.dtypes, 'values against a double-precision reference', async (c, dtype) => {
        const xs = inputsFor(uc, dtype).map((v) => roundTo(dtype, v));
        const y = c.run(name, [c.t(xs, [xs.length], dtype)], {});
        const outDType = uc.bool ? 'bool' : dtype;
        await c.expect(y, { shape: [xs.length], dtype: outDType, values: xs.map(uc.ref) }, uc.exact ? 'exact' : undefined);
      });
      s.eachSpecial(FLOATS.filter((d) => uc.dtypes.includes(d)), 'NaN, infinities and domain edges', async (c, dtype) => {
        const xs = uc.special.map(([x]) => x);
        const y = c.run(name, [c.t(xs, [xs.length], dtype)], {});
        const values = uc.special.map(([, r]) => r);
        await c.expect(y, { shape: [xs.length], dtype: uc.bool ? 'bool' : dtype, values });
      });
      s.each(uc.dtypes.slice(0, 1), 'keeps the shape: 0-d, 2-D and empty tensors', async (c, dtype) => {
        const outDType = uc.bool ? 'bool' : dtype;
        const xs = inputsFor(uc, dtype).slice(0, 6).map((v) => roundTo(dtype, v));
        for (const shape of [[], [2, 3], [0], [3, 0, 2]]) {
          const n = shape.reduce((p, d) => p * d, 1);
          const vals = xs.slice(0, n);
          const y = c.run(name, [c.t(vals, shape, dtype)], {});
          await c.expect(y, { shape, dtype: outDType, values: vals.map(uc.ref) }, uc.exact ? 'exact' : undefined, `shape [${shape.join(', ')}]`);
        }
      });
    });
  }
  extraUnaryCases(s);
}

/** Hand-derived values for the kernels whose definition is easy to get subtly wrong. */
function extraUnaryCases(s: Suite): void {
  s.kernel('round', () => {
    s.each(FLOATS, 'rounds half to even', async (c, dtype) => {
      const x = c.t([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5], [8], dtype);
      await c.expect(c.run('round', [x], {}), { shape: [8], dtype, values: [-2, -2, -0, 0, 2, 2, 4, 4] }, 'exact');
    });
  });
  s.kernel('sign', () => {
    s.each(FLOATS, 'sign of zero is zero', async (c, dtype) => {
      const x = c.t([0, -0, 5, -0.001], [4], dtype);
      await c.expect(c.run('sign', [x], {}), { shape: [4], dtype, values: [0, 0, 1, -1] }, 'exact');
    });
  });
  s.kernel('gelu', () => {
    // x·Φ(x) with Φ(1) = 0.841344746068543, Φ(2) = 0.977249868051821, Φ(3) = 0.998650101968370 (normal tables)
    s.each(FLOATS, 'exact GELU equals x·Φ(x) from normal-distribution tables', async (c, dtype) => {
      const x = c.t([-3, -2, -1, 0, 1, 2, 3], [7], dtype);
      const phi = [1 - 0.99865010196837, 1 - 0.977249868051821, 1 - 0.841344746068543, 0.5, 0.841344746068543, 0.977249868051821, 0.99865010196837];
      const values = [-3, -2, -1, 0, 1, 2, 3].map((v, i) => v * (phi[i] as number));
      await c.expect(c.run('gelu', [x], {}), { shape: [7], dtype, values }, dtype === 'float64' ? { rtol: 1e-13, atol: 1e-13 } : undefined);
    });
    s.each(FLOATS, 'large negative inputs give (almost) zero, large positive give x', async (c, dtype) => {
      const x = c.t([-10, -40, 10, 40], [4], dtype);
      await c.expect(c.run('gelu', [x], {}), { shape: [4], dtype, values: [-7.619853e-23, 0, 10, 40] }, { rtol: 1e-5, atol: 1e-20 });
    });
  });
  s.kernel('erf', () => {
    // erf(0.5), erf(1), erf(2), erf(3), erf(4) to 16 digits (Abramowitz & Stegun table 7.1 / DLMF)
    s.each(FLOATS, 'tabulated values', async (c, dtype) => {
      const xs = [0.5, 1, 2, 3, 4, -1, 6, -6];
      const values = [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, 0.9999999845827421, -0.8427007929497149, 1, -1];
      await c.expect(c.run('erf', [c.t(xs, [8], dtype)], {}), { shape: [8], dtype, values }, dtype === 'float64' ? { rtol: 1e-14, atol: 1e-15 } : undefined);
    });
  });
  s.kernel('log1p', () => {
    s.each(FLOATS, 'accurate for tiny inputs (not log(1 + x))', async (c, dtype) => {
      const xs = [1e-10, -1e-12, 3e-8].map((v) => roundTo(dtype, v));
      const values = xs.map((x) => x - (x * x) / 2 + (x * x * x) / 3);
      await c.expect(c.run('log1p', [c.t(xs, [3], dtype)], {}), { shape: [3], dtype, values }, { rtol: 1e-6, atol: 0 });
    });
  });
  s.kernel('expm1', () => {
    s.each(FLOATS, 'accurate for tiny inputs (not exp(x) - 1)', async (c, dtype) => {
      const xs = [1e-10, -1e-12, 3e-8].map((v) => roundTo(dtype, v));
      const values = xs.map((x) => x + (x * x) / 2 + (x * x * x) / 6);
      await c.expect(c.run('expm1', [c.t(xs, [3], dtype)], {}), { shape: [3], dtype, values }, { rtol: 1e-6, atol: 0 });
    });
  });
  s.kernel('sigmoid', () => {
    s.each(FLOATS, 'saturates without overflow', async (c, dtype) => {
      const x = c.t([-1000, 1000, 0], [3], dtype);
      await c.expect(c.run('sigmoid', [x], {}), { shape: [3], dtype, values: [0, 1, 0.5] }, { rtol: 0, atol: 1e-30 });
    });
  });
  s.kernel('abs', () => {
    s.each(['int32'], 'int32 minimum wraps like two’s complement', async (c, dtype) => {
      const x = c.t([-2147483648, -2147483647], [2], dtype);
      await c.expect(c.run('abs', [x], {}), { shape: [2], dtype, values: [-2147483648, 2147483647] });
    });
  });
}
