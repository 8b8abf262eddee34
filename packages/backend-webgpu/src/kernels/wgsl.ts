import type { DType } from '@backstep/tensor';

/** Threads per workgroup of the elementwise kernels. */
export const WG = 64;

/**
 * The WGSL element type a dtype's buffer is declared with: f32 for float32, i32 for int32 and for
 * bool (stored as 0/1 words, which read the same as i32).
 */
export function wgslType(dtype: DType): 'f32' | 'i32' {
  return dtype === 'float32' ? 'f32' : 'i32';
}

/** A storage binding after `prm`: name and element type (`f32`, `i32`, `u32`, `atomic<u32>`, ...). */
export type Binding = readonly [name: string, element: string];

/** What {@link shader} assembles. */
export interface ShaderSpec {
  /** Read-only storage arrays bound after `prm`. */
  inputs: readonly Binding[];
  /** Read-write storage arrays bound after the inputs. */
  outputs: readonly Binding[];
  /** Bind the error slot buffer last as `err: array<atomic<u32>>`. */
  error?: boolean;
  /** Module-scope declarations and helper functions. */
  helpers?: readonly string[];
  /** Body of an elementwise `main`: runs with `i` (u32, < prm[0]) for each element. */
  body?: string;
  /** A complete `main` (with its attributes) instead of the elementwise one. */
  main?: string;
  /** Workgroup size of the elementwise main (default {@link WG}). */
  workgroupSize?: number;
}

/**
 * Assembles a compute shader. Binding 0 is `prm: array<i32>` (parameters; `prm[0]` is the element
 * count for elementwise mains), then the inputs, the outputs and optionally the error slot buffer.
 * The elementwise main computes a flat index from a 2-D grid so more than 65535 workgroups fit.
 */
export function shader(spec: ShaderSpec): string {
  const lines = ['@group(0) @binding(0) var<storage, read> prm: array<i32>;'];
  let b = 1;
  for (const [name, el] of spec.inputs) lines.push(`@group(0) @binding(${b++}) var<storage, read> ${name}: array<${el}>;`);
  for (const [name, el] of spec.outputs) lines.push(`@group(0) @binding(${b++}) var<storage, read_write> ${name}: array<${el}>;`);
  if (spec.error) lines.push(`@group(0) @binding(${b++}) var<storage, read_write> err: array<atomic<u32>>;`);
  lines.push(SPECIALS, ...(spec.helpers ?? []));
  if (spec.main !== undefined) lines.push(spec.main);
  else {
    const wg = spec.workgroupSize ?? WG;
    lines.push(
      `@compute @workgroup_size(${wg})`,
      'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
      `  let i = gid.x + gid.y * nwg.x * ${wg}u;`,
      '  if (i >= u32(prm[0])) { return; }',
      spec.body ?? '',
      '}',
    );
  }
  return lines.join('\n');
}

/**
 * NaN/infinity helpers. WGSL rejects non-finite constant expressions, so the bit patterns sit in
 * private variables and are converted at run time; NaN tests use the bits, not comparisons.
 */
export const SPECIALS = `
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn f_nan() -> f32 { return bitcast<f32>(NAN_BITS); }
fn f_inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
`;

/**
 * A WGSL function `name(i, rank, shapeAt, s0, s1, ...)` returning the element offsets (i32, or
 * vecK<i32> for K stride sets) that flat output index `i` reads: `i` is unravelled over the shape at
 * `prm[shapeAt..]` and each set of strides at `prm[sK..]` is applied (stride 0 broadcasts).
 */
export function stridedFn(name: string, sets: 1 | 2 | 3): string {
  const t = sets === 1 ? 'i32' : `vec${sets}<i32>`;
  const params = Array.from({ length: sets }, (_, k) => `s${k}: i32`).join(', ');
  const strides = sets === 1 ? 'prm[s0 + d]' : `${t}(${Array.from({ length: sets }, (_, k) => `prm[s${k} + d]`).join(', ')})`;
  return `
fn ${name}(i: u32, rank: i32, shapeAt: i32, ${params}) -> ${t} {
  var rem = i;
  var off = ${t}(0);
  for (var d = rank - 1; d >= 0; d--) {
    let s = u32(prm[shapeAt + d]);
    let q = rem / s;
    off += i32(rem - q * s) * ${strides};
    rem = q;
  }
  return off;
}`;
}

/** Workgroup counts covering `n` elements at `wg` per workgroup, folded into 2-D when needed. */
export function grid(n: number, wg = WG): [number, number, number] {
  if (n <= 0) return [0, 1, 1];
  const groups = Math.ceil(n / wg);
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d] as number;
  }
  return s;
}

/** Strides reading `inShape` while walking `outShape` under NumPy broadcasting (0 on broadcast dims). */
export function broadcastStridesOf(inShape: readonly number[], outShape: readonly number[]): number[] {
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => {
    const k = d - lead;
    if (k < 0) return 0;
    return (inShape[k] as number) === 1 ? 0 : (inStrides[k] as number);
  });
}

/** Writes the bits of a float32 value as an i32 (for passing floats in `prm`). */
export function f32Bits(v: number): number {
  F32[0] = v;
  return I32[0] as number;
}
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
