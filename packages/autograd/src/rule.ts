import type { DType, Tensor } from '@backstep/tensor';

/** What a gradient rule sees when it runs: the saved tensors and the recorded op's metadata. */
export interface GradContext {
  /** The saved handle of input `i` (declared in the rule's `saveInputs`). */
  saved(i: number): Tensor;
  /** The saved handle of the op's output (when the rule sets `saveOutput`). */
  savedOutput(): Tensor;
  /** The kernel's attrs, as recorded. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Shapes of the kernel's inputs. */
  readonly inputShapes: readonly (readonly number[])[];
  /** Dtypes of the kernel's inputs. */
  readonly inputDTypes: readonly DType[];
  /** Shape of the kernel's output. */
  readonly outputShape: readonly number[];
  /** Per input: whether its gradient is wanted in this backward pass (skip computing the others). */
  readonly needsInputGrad: readonly boolean[];
}

/** Facts about a recorded op, known at record time (used to pick what to save and the node name). */
export interface RecordInfo {
  /** The kernel's attrs. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Shapes of the kernel's inputs. */
  readonly inputShapes: readonly (readonly number[])[];
  /** Per input: whether it requires grad. */
  readonly needs: readonly boolean[];
}

/**
 * The gradient rule of one primitive kernel: given the gradient of the output, returns the
 * gradient of each input (`null` where not needed or not differentiable), written with tensor
 * ops so every backend gets it for free and higher-order gradients work (`createGraph`).
 */
export interface GradRule {
  /** The node name shown as `tensor.gradFn.name`, e.g. `'MulBackward'`. */
  readonly name: string | ((info: RecordInfo) => string);
  /** Inputs whose values the rule needs (saved at record time as handles sharing the buffer). */
  readonly saveInputs?: readonly number[] | ((info: RecordInfo) => readonly number[]);
  /** Whether the rule needs the op's output value. */
  readonly saveOutput?: boolean | ((info: RecordInfo) => boolean);
  /** Computes the input gradients from the output gradient `grad`. */
  backward(grad: Tensor, ctx: GradContext): readonly (Tensor | null | undefined)[];
}
