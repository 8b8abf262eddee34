import { DTypeError, type TensorInfo } from '@backstep/tensor';
import type { CpuBackend } from '../cpu-backend.js';

/** A float buffer a fused optimizer kernel reads or writes. */
export type FloatArray = Float32Array | Float64Array;

/**
 * Splits a fused kernel's inputs into per-parameter tuples of `size` float arrays, checking
 * (before anything is written) that every tuple has one float dtype and one element count. The
 * arrays are the buffers' own (a pending lazy copy is not carried out: see {@link claimSources}).
 */
export function fusedTuples(cpu: CpuBackend, op: string, inputs: readonly TensorInfo[], size: number): FloatArray[][] {
  if (inputs.length % size !== 0) {
    throw new TypeError(`${op}: expected inputs in tuples of ${size} per parameter, got ${inputs.length} inputs`);
  }
  const tuples: FloatArray[][] = [];
  for (let i = 0; i < inputs.length; i += size) {
    const infos = inputs.slice(i, i + size);
    const first = infos[0] as TensorInfo;
    if (first.dtype !== 'float32' && first.dtype !== 'float64') {
      throw new DTypeError(`${op}: expected float32 or float64 tensors, got ${first.dtype} (parameter ${i / size})`);
    }
    const arrays = infos.map((info) => {
      if (info.dtype !== first.dtype) throw new DTypeError(`${op}: parameter ${i / size} mixes ${first.dtype} and ${info.dtype}`);
      return cpu.get(info.dataId).peek() as FloatArray;
    });
    const n = (arrays[0] as FloatArray).length;
    if (arrays.some((a) => a.length !== n)) throw new RangeError(`${op}: the tensors of parameter ${i / size} differ in size`);
    tuples.push(arrays);
  }
  return tuples;
}

/**
 * After validation, for a fused kernel that overwrites the tuple positions `mutated` and only reads
 * the others: settles lazy copies that depend on the mutated buffers, and returns per tuple the
 * arrays holding each input's current values — for a mutated buffer that is a pending lazy copy,
 * its source (the kernel reads it and writes the buffer in one pass: an out-of-place step); for
 * the others the buffer itself (read ones are materialized here).
 */
export function claimSources(cpu: CpuBackend, inputs: readonly TensorInfo[], size: number, mutated: readonly number[]): FloatArray[][] {
  const out: FloatArray[][] = [];
  for (let i = 0; i < inputs.length; i += size) {
    const row: FloatArray[] = [];
    for (let k = 0; k < size; k++) {
      const d = cpu.get((inputs[i + k] as TensorInfo).dataId);
      if (mutated.includes(k)) {
        d.settleDependents();
        row.push(d.takeForOverwrite().src as FloatArray);
      } else row.push(d.values as FloatArray);
    }
    out.push(row);
  }
  return out;
}
