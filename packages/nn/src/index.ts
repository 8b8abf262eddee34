/**
 * @backstep/nn — `Module`, `Parameter`, containers, layers, losses, `init` and gradient clipping,
 * with PyTorch's semantics. Imports `@backstep/tensor` and `@backstep/autograd` only.
 */
export { Parameter, isParameter } from './parameter.js';
export { Module, isModule, type ForwardHook, type ForwardPreHook, type NamedOptions, type RemovableHandle } from './module.js';
export type { ToTarget } from './module-to.js';
export type { LoadStateDictResult, StateDictInput, StateDictValue } from './state-dict.js';
export { Sequential } from './containers/sequential.js';
export { ModuleList } from './containers/module-list.js';
export { ModuleDict } from './containers/module-dict.js';
export { ParameterList } from './containers/parameter-list.js';
export type { FactoryOptions } from './layers/create-parameter.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2d, type Conv2dOptions } from './layers/conv2d.js';
export { MaxPool2d, AvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './layers/pooling.js';
export { Flatten, Unflatten } from './layers/flatten.js';
export { Dropout } from './layers/dropout.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { LayerNorm, type LayerNormOptions } from './layers/layer-norm.js';
export { ReLU, Tanh, Sigmoid, GELU, LeakyReLU, Softmax, LogSoftmax } from './layers/activations.js';
export { Identity } from './layers/identity.js';
export { Loss, WeightedLoss } from './losses/loss-base.js';
export {
  MSELoss, L1Loss, HuberLoss, SmoothL1Loss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, type LossOptions,
} from './losses/losses.js';
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions, type ParametersArg } from './utils/clip-grad.js';
export type { Reduction } from './functional/reduction.js';
export {
  mseLoss, l1Loss, huberLoss, smoothL1Loss, nllLoss, crossEntropy, binaryCrossEntropy, binaryCrossEntropyWithLogits,
} from './functional/index.js';
/** Stateless functions (PyTorch's `torch.nn.functional`, usually imported as `F`). */
export * as functional from './functional/index.js';
/** Parameter initialisers (PyTorch's `torch.nn.init`). */
export * as init from './init/index.js';
