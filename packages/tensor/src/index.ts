/**
 * @backstep/tensor — tensors, dtypes, shapes, broadcasting, creation, op front-ends, the Engine,
 * the backend contract and the kernel registry. Imports no other workspace package.
 */
export * from './dtype.js';
export * from './errors.js';
export * from './shape.js';
export type { Backend, BackendMemory, DataId, TensorInfo } from './backend.js';
export * from './kernel-names.js';
export * from './kernel-registry.js';
export * from './fused-optim-attrs.js';
export * from './index-range.js';
export * from './matmul-dims.js';
export * from './kernel-axis.js';
export type { AutogradHooks, BackwardOptions } from './autograd-hooks.js';
export { Engine, getEngine, setEngine, type EngineMemory } from './engine.js';
export { Tensor, type NestedArray, type GradFnLike, type TensorHook } from './tensor.js';
export * from './generator.js';
export * from './creation.js';
export * from './ops/operands.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export * from './ops/shape-ops.js';
export * from './ops/indexing.js';
export * from './ops/index-spec.js';
export * from './ops/join.js';
export * from './ops/matmul.js';
export * from './ops/softmax.js';
export * from './ops/conv.js';
export * from './ops/inplace.js';
export { formatTensor } from './format.js';
import './tensor-methods.js';

import { getEngine } from './engine.js';
import type { TidyResult } from './tidy-result.js';
import type { Tensor } from './tensor.js';

/** Runs `fn` in a scope of the default engine, disposing the tensors it created but did not return. */
export function tidy<T extends TidyResult>(fn: () => T): T {
  return getEngine().tidy(fn);
}

/** Keeps a tensor alive past the enclosing `tidy` scopes. */
export function keep<T extends Tensor>(t: T): T {
  return t.engine.keep(t);
}

/** Disposes tensors (arrays and plain objects of tensors too). */
export function dispose(...items: unknown[]): void {
  for (const t of collectTensors(items)) t.dispose();
}

/** Live tensors, buffers and bytes of the default engine. */
export function memory(): import('./engine.js').EngineMemory {
  return getEngine().memory();
}

import { collectTensors } from './tidy-result.js';
export { collectTensors };
