/**
 * Loading the PyTorch golden cases of `../shared/golden` (beside the repository root; see its
 * INDEX.md) and comparing tensors with a case's rule `|actual - expected| <= atol + rtol·|expected|`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensor, type DType, type Tensor } from '@backstep/tensor';

/** The repository root (packages/nn/test → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The golden folder; throws loudly when it is missing. */
export function goldenRoot(): string {
  const dir = resolve(repoRoot, '../shared/golden');
  if (!existsSync(join(dir, 'INDEX.md'))) throw new Error(`golden data not found at ${dir} (expected ../shared/golden beside the repository root)`);
  return dir;
}

/** Every `.json` file of a golden sub-folder (relative paths); throws when there are none. */
export function listGolden(folder: string): string[] {
  const dir = join(goldenRoot(), folder);
  if (!existsSync(dir)) throw new Error(`golden folder ${dir} is missing`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`golden folder ${dir} has no .json files`);
  return files.map((f) => `${folder}/${f}`);
}

/** Parses one golden file. */
export function loadGolden<T>(rel: string): T {
  return JSON.parse(readFileSync(join(goldenRoot(), rel), 'utf8')) as T;
}

/** A golden tensor object. */
export interface GoldenTensor {
  shape: number[];
  data: unknown;
}

/** An input of a loss/module case. */
export interface GoldenInput extends GoldenTensor {
  name: string;
  dtype: 'float' | 'int64' | 'bool';
  requiresGrad: boolean;
}

/** A tolerance. */
export interface Tol {
  rtol: number;
  atol: number;
}

/** The expected results of one run. */
export interface GoldenResult {
  output: GoldenTensor;
  grads: Record<string, GoldenTensor>;
}

/** A loss or module case. */
export interface GoldenCase {
  name: string;
  kind: string;
  tolerance: { float32: Tol; float64: Tol };
  inputs: GoldenInput[];
  upstreamGrad: GoldenTensor;
  options: Record<string, unknown>;
  loss?: string;
  module?: string;
  float32: GoldenResult;
  float64: GoldenResult;
}

/** Flattens nested golden data (booleans → 0/1, "NaN"/"Infinity" strings → numbers). */
export function flatData(data: unknown, out: number[] = []): number[] {
  if (Array.isArray(data)) for (const d of data) flatData(d, out);
  else if (typeof data === 'boolean') out.push(data ? 1 : 0);
  else if (typeof data === 'string') out.push(Number(data));
  else out.push(data as number);
  return out;
}

/** Builds a golden tensor in `dtype` (values are exact, or rounded to nearest as torch.tensor does). */
export function makeTensor(t: GoldenTensor, dtype: DType): Tensor {
  return tensor(flatData(t.data), { dtype, shape: t.shape });
}

/** Builds an input in the run's float dtype (int64 → int32, bool → bool), with its requiresGrad. */
export function makeInput(input: GoldenInput, floatDType: DType): Tensor {
  const dtype: DType = input.dtype === 'float' ? floatDType : input.dtype === 'bool' ? 'bool' : 'int32';
  const t = makeTensor(input, dtype);
  if (input.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Null when `actual` matches `expected` within `tol` element-wise, else a description of the first failures. */
export function compareTensor(actual: Tensor | null, expected: GoldenTensor, tol: Tol, label: string): string | null {
  if (actual === null) return `${label}: got null`;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((s, i) => s !== expected.shape[i])) {
    return `${label}: shape [${actual.shape.join(', ')}] != expected [${expected.shape.join(', ')}]`;
  }
  const a = actual.dataSync();
  const e = flatData(expected.data);
  if (a.length !== e.length) return `${label}: ${a.length} elements != expected ${e.length}`;
  const bad: string[] = [];
  for (let i = 0; i < e.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    const ok = Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok && bad.length < 5) bad.push(`[${i}] ${x} vs ${y}`);
  }
  return bad.length > 0 ? `${label}: ${bad.join('; ')}` : null;
}
