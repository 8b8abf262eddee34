/**
 * Test helpers: engines with/without the fused CPU kernels, tensor construction in an engine,
 * golden file loading and the golden tolerance rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, tensor, type DType, type Tensor } from '@backstep/tensor';

/** A fresh engine with the CPU backend; `fused` also registers the fused optimizer kernels. */
export function makeEngine(fused: boolean): Engine {
  const engine = new Engine();
  registerCpuBackend(engine, { fused });
  return engine;
}

/** Flattens nested numbers. */
export function flat(data: unknown, out: number[] = []): number[] {
  if (Array.isArray(data)) for (const d of data) flat(d, out);
  else out.push(Number(data));
  return out;
}

/** A tensor in `engine` from nested data with an explicit shape. */
export function mk(engine: Engine, data: unknown, shape: readonly number[], dtype: DType, requiresGrad = false): Tensor {
  return tensor(flat(data), { engine, dtype, shape, requiresGrad });
}

/** Flat values of a tensor. */
export function vals(t: Tensor | null | undefined): number[] {
  if (t === null || t === undefined) throw new Error('expected a tensor');
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Tolerance of one dtype. */
export interface Tol {
  rtol: number;
  atol: number;
}

/** First failures of `|a - e| <= atol + rtol·|e|`, or null. */
export function closeMsg(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, label: string): string | null {
  if (actual.length !== expected.length) return `${label}: ${actual.length} elements != expected ${expected.length}`;
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok && bad.length < 4) bad.push(`[${i}] ${a} vs ${e}`);
  }
  return bad.length ? `${label}: ${bad.join('; ')}` : null;
}

/** Throws a readable error unless all elements are close. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, label = 'value'): void {
  const m = closeMsg(actual, expected, tol, label);
  if (m !== null) throw new Error(m);
}

/** The golden folder beside the repository. */
export function goldenRoot(): string {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/golden');
  if (!existsSync(join(dir, 'INDEX.md'))) throw new Error(`golden data not found at ${dir}`);
  return dir;
}

/** Parses a golden file by its path relative to the golden folder. */
export function loadGolden<T>(rel: string): T {
  return JSON.parse(readFileSync(join(goldenRoot(), rel), 'utf8')) as T;
}

/** The names (without .json) of the files of a golden sub-folder. */
export function goldenNames(folder: string): string[] {
  return readdirSync(join(goldenRoot(), folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** One run (float32 or float64) of an optimizer trajectory case. */
export interface TrajectoryRun {
  grads: unknown[][];
  params: unknown[][];
  losses: number[];
  stateDict: { state: Record<string, Record<string, unknown>>; param_groups: Array<Record<string, unknown>> };
}

/** An `optimizerTrajectory` golden case. */
export interface TrajectoryCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
  paramShapes: number[][];
  initialParams: unknown[];
  steps: number;
  tolerance: { float32: Tol; float64: Tol };
  float32: TrajectoryRun;
  float64: TrajectoryRun;
}

/** Float32 bits of a float32 tensor (or the float64 values' bits) for exact comparisons. */
export function bits(t: Tensor): number[] {
  const v = t.dataSync();
  if (v instanceof Float32Array) return Array.from(new Uint32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
  if (v instanceof Float64Array) return Array.from(new Uint32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
  return Array.from(v as ArrayLike<number>);
}
