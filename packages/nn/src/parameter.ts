import { Tensor } from '@backstep/tensor';

/**
 * A tensor that is a module parameter (PyTorch's `nn.Parameter`). It shares the buffer of the
 * tensor it wraps (no copy), is a leaf of the autograd graph, requires grad by default, and is
 * exempt from enclosing `tidy` scopes (a parameter lives as long as its module).
 *
 * Assigning a `Parameter` to a property of a {@link Module} registers it (`this.weight = new
 * Parameter(...)`).
 */
export class Parameter extends Tensor {
  /**
   * Wraps `data`'s buffer as a parameter. `data` itself is left untouched (it may be disposed
   * afterwards without affecting the parameter). A parameter of an integer or bool dtype must be
   * created with `requiresGrad = false`.
   */
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor, got ${data === null ? 'null' : typeof data}`);
    }
    data.assertLive('Parameter');
    super(data.engine, data.dataId, [...data.shape], data.dtype, data.backendName);
    data.engine.registerTensor(this);
    data.engine.keep(this);
    this.requiresGrad = requiresGrad;
  }

  /** `Parameter containing:` followed by the tensor's rendering, as PyTorch prints it. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** Whether `x` is a {@link Parameter}. */
export function isParameter(x: unknown): x is Parameter {
  return x instanceof Parameter;
}
