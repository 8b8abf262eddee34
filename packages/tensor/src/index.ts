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
export type { AutogradHooks, BackwardOptions } from './autograd-hooks.js';
export { Engine, getEngine, setEngine, type EngineMemory } from './engine.js';
export { Tensor, type NestedArray, type GradFnLike, type TensorHook } from './tensor.js';
