/**
 * @backstep/optim — the `Optimizer` base class and PyTorch-compatible optimizers. Imports only
 * `@backstep/tensor`: it sees parameters through the parameter/grad contract (a tensor with an
 * assignable `.grad`), never autograd or a backend.
 */
export * from './types.js';
export { Optimizer } from './optimizer.js';
export { SGD, sgdUpdate, validateSGD, type SGDOptions, type SGDHyper } from './sgd.js';
export { Adam, adamUpdate, validateAdam, type AdamOptions, type AdamHyper } from './adam.js';
export { AdamW } from './adamw.js';
export { Adamax, adamaxUpdate, validateAdamax, type AdamaxOptions, type AdamaxHyper } from './adamax.js';
export { Adagrad, adagradUpdate, validateAdagrad, type AdagradOptions, type AdagradHyper } from './adagrad.js';
export { Adadelta, adadeltaUpdate, validateAdadelta, type AdadeltaOptions, type AdadeltaHyper } from './adadelta.js';
export { RMSprop, rmspropUpdate, validateRMSprop, type RMSpropOptions, type RMSpropHyper } from './rmsprop.js';
export { Rprop, rpropUpdate, validateRprop, type RpropOptions, type RpropHyper } from './rprop.js';
export { ASGD, asgdUpdate, validateASGD, type ASGDOptions, type ASGDHyper } from './asgd.js';
export { NAdam, nadamUpdate, validateNAdam, type NAdamOptions, type NAdamHyper } from './nadam.js';
export { RAdam, radamUpdate, validateRAdam, type RAdamOptions, type RAdamHyper } from './radam.js';
export { LBFGS } from './lbfgs.js';
export { validateLBFGS, type LBFGSOptions, type LBFGSHyper } from './lbfgs-options.js';
export type { AsyncClosure } from './lbfgs-driver.js';
export {
  toPyTorchStateDict,
  toPyTorchStateDictAsync,
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
