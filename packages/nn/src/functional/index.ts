/**
 * Stateless functions (PyTorch's `torch.nn.functional`): losses, dropout, layer norm, embedding,
 * and the tensor package's activations, linear, convolution and pooling re-exported.
 */
export {
  relu, tanh, sigmoid, gelu, silu, leakyRelu, softplus, softmax, logSoftmax, linear, conv2d, maxPool2d, avgPool2d,
  unfold, fold, oneHot,
} from '@backstep/tensor';
export * from './reduction.js';
export * from './regression-losses.js';
export { nllLoss, type NllLossOptions } from './nll-loss.js';
export * from './cross-entropy.js';
export * from './binary-losses.js';
export * from './dropout.js';
export * from './layer-norm.js';
export * from './embedding.js';
