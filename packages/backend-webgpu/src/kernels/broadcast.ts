import { broadcastAll, type TensorInfo } from '@backstep/tensor';
import type { WebGpuBackend, WebGpuData } from '../webgpu-backend.js';
import { broadcastStridesOf, grid, shader, stridedFn, type Binding } from './wgsl.js';

/** What {@link broadcastMap} needs to write an elementwise kernel over broadcast inputs. */
export interface BroadcastSpec {
  /** Pipeline key prefix (op and dtypes). */
  key: string;
  /** The inputs (2 or 3), broadcast together. */
  inputs: readonly TensorInfo[];
  /** WGSL element types of the input buffers, in order (named `a`, `b`, `c`). */
  types: readonly string[];
  /** Output dtype and WGSL element type. */
  out: { dtype: TensorInfo['dtype']; type: string };
  /** Expression over `x0`, `x1`, (`x2`) giving the output element. */
  expr: string;
  /** Extra helper sources. */
  helpers?: readonly string[];
  /** Whether `expr` may flag an error through `fail(value)` (integer division by zero). */
  error?: (gpu: WebGpuBackend) => ReturnType<WebGpuBackend['errorSlot']>;
  /** Op name for broadcasting error messages. */
  op: string;
}

const NAMES = ['a', 'b', 'c'];
const FAIL = `
fn fail(v: i32) {
  if (atomicExchange(&err[u32(prm[1])], 1u) == 0u) { atomicStore(&err[u32(prm[1]) + 1u], bitcast<u32>(v)); }
}`;

/**
 * Runs an elementwise expression over 2 or 3 inputs broadcast together (NumPy rules) into a new
 * output. When every input already has the output's shape, a variant without index arithmetic
 * runs; otherwise each thread unravels its index and applies per-input strides (0 on broadcast
 * dims). Parameters: `[n, errorWord, rank, shape..., strides of each input...]`.
 */
export function broadcastMap(gpu: WebGpuBackend, spec: BroadcastSpec): TensorInfo {
  const shape = broadcastAll(spec.inputs.map((t) => t.shape), spec.op);
  const datas: WebGpuData[] = spec.inputs.map((t) => gpu.get(t.dataId));
  const out = gpu.makeOutput(shape, spec.out.dtype);
  const n = out.data.length;
  const k = spec.inputs.length as 2 | 3;
  const same = spec.inputs.every((t) => t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]));
  const slot = spec.error?.(gpu);
  const rank = shape.length;
  const meta = [n, slot?.word ?? 0, rank, ...shape];
  if (!same) for (const t of spec.inputs) meta.push(...broadcastStridesOf(t.shape, shape));
  const inputs: Binding[] = spec.types.map((ty, j) => [NAMES[j] as string, ty]);
  const loads = same
    ? inputs.map(([nm], j) => `  let x${j} = ${nm}[i];`)
    : [
        `  let o = offsets(i, prm[2], 3, ${Array.from({ length: k }, (_, j) => `3 + prm[2] * ${j + 1}`).join(', ')});`,
        ...inputs.map(([nm], j) => `  let x${j} = ${nm}[u32(o[${j}])];`),
      ];
  gpu.dispatch({
    key: `${spec.key}:${same ? 'same' : 'bcast'}`,
    source: () =>
      shader({
        inputs,
        outputs: [['out', spec.out.type]],
        error: slot !== undefined,
        helpers: [...(same ? [] : [stridedFn('offsets', k)]), ...(slot ? [FAIL] : []), ...(spec.helpers ?? [])],
        body: [...loads, `  out[i] = ${spec.expr};`].join('\n'),
      }),
    inputs: datas,
    outputs: [out.data],
    meta,
    workgroups: grid(n),
    ...(slot ? { errorSlot: slot } : {}),
  });
  return out.info;
}
