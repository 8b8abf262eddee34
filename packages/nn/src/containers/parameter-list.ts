import { isFloat, Tensor } from '@backstep/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { normalizeIndex } from './index-utils.js';

/**
 * A list of parameters registered as `'0'`, `'1'`, ... (PyTorch's `nn.ParameterList`): inside a
 * module assigned to `params`, they are named `params.0`, `params.1`, ... Plain tensors are
 * wrapped in `Parameter`. Indexable with `get(i)`, iterable, with `length`.
 */
export class ParameterList extends Module {
  /** Builds from an iterable of parameters (tensors are wrapped). */
  constructor(params: Iterable<Parameter | Tensor> = []) {
    super();
    for (const p of params) this.append(p);
  }

  /** The number of parameters. */
  get length(): number {
    return this._slots.parameters.size;
  }

  /** The parameter at `index` (negative counts from the end). */
  get(index: number): Parameter {
    return this._slots.parameters.get(String(normalizeIndex(index, this.length, 'ParameterList'))) as Parameter;
  }

  /** Replaces the parameter at `index`. */
  set(index: number, param: Parameter | Tensor): void {
    this.registerParameter(String(normalizeIndex(index, this.length, 'ParameterList')), asParameter(param));
  }

  /** Appends a parameter. Returns this list. */
  append(param: Parameter | Tensor): this {
    this.registerParameter(String(this.length), asParameter(param));
    return this;
  }

  /** Appends several parameters. Returns this list. */
  extend(params: Iterable<Parameter | Tensor>): this {
    for (const p of params) this.append(p);
    return this;
  }

  /** Iterates over the parameters in order. */
  *[Symbol.iterator](): Iterator<Parameter> {
    for (const p of this._slots.parameters.values()) if (p !== null) yield p;
  }

  /** A `ParameterList` has no forward. */
  forward(): never {
    throw new Error('ParameterList has no forward(); use its parameters in the parent module');
  }

  override extraRepr(): string {
    return [...this._slots.parameters]
      .map(([k, p]) => `(${k}): Parameter containing: [${p?.dtype} of size ${p?.shape.join('x')}]`)
      .join('\n');
  }
}

function asParameter(p: Parameter | Tensor): Parameter {
  if (p instanceof Parameter) return p;
  if (p instanceof Tensor) return new Parameter(p, isFloat(p.dtype));
  throw new TypeError(`ParameterList: expected a Parameter or a Tensor, got ${p === null ? 'null' : typeof p}`);
}
