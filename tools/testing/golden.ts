/**
 * Test helpers for the PyTorch golden files in `../shared/golden` (see its INDEX.md):
 * locating and loading cases, building inputs in a run's dtype, and comparing tensors with a
 * case's tolerance rule `|actual - expected| <= atol + rtol * |expected|`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type DType, type Tensor } from '@backstep/tensor';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The golden folder (`../shared/golden` beside the repository); throws if it is missing. */
export function goldenRoot(): string {
  const dir = resolve(repoRoot, '../shared/golden');
  if (!existsSync(join(dir, 'INDEX.md'))) throw new Error(`golden data not found at ${dir} (expected ../shared/golden beside the repository)`);
  return dir;
}

/** Parses one golden file by its path relative to the golden folder. */
export function loadGolden<T = GoldenCase>(rel: string): T {
  return JSON.parse(readFileSync(join(goldenRoot(), rel), 'utf8')) as T;
}

/** The `.json` files of one golden sub-folder, as paths relative to the golden folder. */
export function listGolden(folder: string): string[] {
  const dir = join(goldenRoot(), folder);
  if (!existsSync(dir)) throw new Error(`golden folder ${dir} is missing`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`golden folder ${dir} has no .json files`);
  return files.map((f) => `${folder}/${f}`);
}

/** The names (without `.json`) of the files of one golden sub-folder, sorted. */
export function goldenNames(folder: string): string[] {
  return listGolden(folder)
    .map((f) => f.slice(folder.length + 1, -'.json'.length))
    .sort();
}

/** A tensor object of the golden files. */
export interface GoldenTensor {
  shape: number[];
  data: unknown;
}

/** An input of an op/loss/module case. */
export interface GoldenInput extends GoldenTensor {
  name: string;
  dtype: 'float' | 'int64' | 'bool';
  requiresGrad: boolean;
}

/** Tolerance of one dtype. */
export interface Tol {
  rtol: number;
  atol: number;
}

/** The fields shared by op, loss and module cases. */
export interface GoldenCase {
  name: string;
  kind: string;
  tolerance: { float32: Tol; float64: Tol };
  inputs: GoldenInput[];
  upstreamGrad: GoldenTensor;
  args?: Record<string, unknown>;
  options: Record<string, unknown>;
  loss?: string;
  module?: string;
  float32: GoldenResult;
  float64: GoldenResult;
  [k: string]: unknown;
}

/** The expected results of one run. */
export interface GoldenResult {
  output: GoldenTensor;
  grads: Record<string, GoldenTensor>;
  extraOutputs?: Record<string, GoldenTensor>;
}

/** A case's input tensors by name. */
export type GoldenInputs = Record<string, Tensor>;

/** How a suite runs golden cases on its backend. */
export interface GoldenRun {
  /** Compares a tensor with a golden tensor (reading synchronously or asynchronously). */
  compare: CompareTensor;
  /** Adjusts the inputs (created in the default engine) before the case runs. */
  prepareInputs?: (c: GoldenCase, inputs: GoldenInputs) => void | Promise<void>;
  /** Checks the output before it is compared (e.g. its backend). */
  checkOutput?: (out: Tensor) => void;
}

/** The float dtypes a case was run in. */
export const RUN_DTYPES = ['float32', 'float64'] as const;

/** Builds a golden input in the run's float dtype (int64 → int32, bool → bool). */
export function makeInput(input: GoldenInput, dtype: DType): Tensor {
  const d: DType = input.dtype === 'float' ? dtype : input.dtype === 'bool' ? 'bool' : 'int32';
  const t = tensor(flat(input.data), { dtype: d, shape: input.shape });
  if (input.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Builds a plain golden tensor in a dtype. */
export function makeTensor(t: GoldenTensor, dtype: DType): Tensor {
  return tensor(flat(t.data), { dtype, shape: t.shape });
}

function flat(data: unknown, out: number[] = []): number[] {
  if (Array.isArray(data)) for (const d of data) flat(d, out);
  else if (typeof data === 'boolean') out.push(data ? 1 : 0);
  else if (typeof data === 'string') out.push(Number(data));
  else out.push(data as number);
  return out;
}

/** Flattens golden nested data (booleans → 0/1, "Infinity"/"NaN" strings → numbers). */
export function flatData(data: unknown): number[] {
  return flat(data);
}

/**
 * How a suite compares a tensor with a golden tensor: {@link compareTensor} (synchronous reads)
 * or {@link compareTensorAsync} (backends that read asynchronously). Returns a message or null.
 */
export type CompareTensor = (actual: Tensor | null, expected: GoldenTensor, tol: Tol, label?: string) => string | null | Promise<string | null>;

/**
 * Compares a tensor with a golden tensor element-wise. Returns a message describing the first
 * failures, or null when every element passes.
 */
export function compareTensor(actual: Tensor | null, expected: GoldenTensor, tol: Tol, label = 'value'): string | null {
  if (actual === null) return `${label}: got null`;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((s, i) => s !== expected.shape[i])) {
    return `${label}: shape [${actual.shape.join(', ')}] != expected [${expected.shape.join(', ')}]`;
  }
  return compareValues(Array.from(actual.dataSync()), flat(expected.data), tol, label);
}

/**
 * {@link compareTensor} for backends without synchronous reads (WebGPU): reads with
 * `await actual.data()`. Returns a message describing the first failures, or null.
 */
export async function compareTensorAsync(actual: Tensor | null, expected: GoldenTensor, tol: Tol, label = 'value'): Promise<string | null> {
  if (actual === null) return `${label}: got null`;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((s, i) => s !== expected.shape[i])) {
    return `${label}: shape [${actual.shape.join(', ')}] != expected [${expected.shape.join(', ')}]`;
  }
  return compareValues(Array.from(await actual.data()), flat(expected.data), tol, label);
}

/**
 * The tolerance rule for one value: `|actual - expected| <= atol + rtol·|expected| + slack`
 * (equal values pass, NaN matches NaN). `slack` is an extra allowance (default 0).
 */
export function withinTolerance(actual: number, expected: number, tol: Tol, slack = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return actual === expected || Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected) + slack;
}

/** Compares flat number lists with the tolerance rule; null when all pass. */
export function compareValues(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, label = 'value'): string | null {
  if (actual.length !== expected.length) return `${label}: ${actual.length} elements != expected ${expected.length}`;
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!withinTolerance(a, e, tol) && bad.length < 5) bad.push(`[${i}] ${a} vs ${e} (diff ${Math.abs(a - e)})`);
  }
  return bad.length ? `${label}: ${bad.join('; ')}` : null;
}
