import type { Tensor } from './tensor.js';

/** Options of `tensor.backward()`. */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (PyTorch's `retain_graph`). */
  retainGraph?: boolean;
  /** Build a graph of the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

/**
 * What an autograd implementation plugs into an {@link Engine} (DESIGN.md contract 2).
 * `@backstep/autograd` provides one through `registerAutograd(engine)`; the tensor package
 * only calls these hooks and never depends on autograd itself.
 */
export interface AutogradHooks {
  /** Whether ops record gradients now (false inside `noGrad`). */
  isGradEnabled(): boolean;
  /** Called after every kernel run with at least one input that requires grad, while grad is enabled. */
  record(kernelName: string, inputs: readonly Tensor[], attrs: Readonly<Record<string, unknown>>, outputs: readonly Tensor[]): void;
  /** Implements `tensor.backward(gradient, options)`. */
  backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void;
}
