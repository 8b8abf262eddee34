/**
 * @backstep/optim — the `Optimizer` base class and PyTorch-compatible optimizers. Imports only
 * `@backstep/tensor`: it sees parameters through the parameter/grad contract (a tensor with an
 * assignable `.grad`), never autograd or a backend.
 */
export * from './types.js';
export { Optimizer } from './optimizer.js';
export { SGD, sgdUpdate, validateSGD, type SGDOptions, type SGDHyper } from './sgd.js';
export {
  toPyTorchStateDict,
  fromPyTorchStateDict,
  PYTORCH_ONLY_GROUP_KEYS,
  type PyTorchStateDict,
  type JsonTensor,
  type ToPyTorchOptions,
  type FromPyTorchOptions,
} from './pytorch-format.js';
export { camelToSnake, snakeToCamel } from './keys.js';
export { hasFusedKernel, runFusedKernel } from './fused.js';
export * as validators from './validate.js';
