/**
 * The attrs of the optional fused optimizer kernels (`sgdStep`, `adamStep`), read and validated
 * once for every backend. The full protocol (inputs per parameter, in-place writes after
 * `ensureExclusive()`) is documented in `@backstep/optim`'s README.
 */

/** Reads a number attr; a clear TypeError names the kernel and the attr otherwise. */
export function numberAttr(op: string, attrs: Readonly<Record<string, unknown>>, key: string): number {
  const v = attrs[key];
  if (typeof v !== 'number') throw new TypeError(`${op}: attr '${key}' must be a number, got ${String(v)}`);
  return v;
}

/** Reads a per-parameter array attr that must hold exactly `n` entries. */
export function perParamAttr<T>(op: string, attrs: Readonly<Record<string, unknown>>, key: string, n: number): readonly T[] {
  const v = attrs[key];
  if (!Array.isArray(v) || v.length !== n) throw new TypeError(`${op}: attr '${key}' must be an array with one entry per parameter (${n})`);
  return v as T[];
}

/** The scalar attrs of `sgdStep` (per-parameter `firstStep` is read with {@link perParamAttr}). */
export interface SgdStepAttrs {
  lr: number;
  momentum: number;
  dampening: number;
  /** `weightDecay` */
  wd: number;
  nesterov: boolean;
  /** -1 with `maximize`, else 1. */
  sign: 1 | -1;
}

/** Reads `sgdStep`'s scalar attrs. */
export function readSgdStepAttrs(attrs: Readonly<Record<string, unknown>>): SgdStepAttrs {
  const op = 'sgdStep';
  return {
    lr: numberAttr(op, attrs, 'lr'),
    momentum: numberAttr(op, attrs, 'momentum'),
    dampening: numberAttr(op, attrs, 'dampening'),
    wd: numberAttr(op, attrs, 'weightDecay'),
    nesterov: attrs['nesterov'] === true,
    sign: attrs['maximize'] === true ? -1 : 1,
  };
}

/** The scalar attrs of `adamStep` (per-parameter `step` is read with {@link perParamAttr}). */
export interface AdamStepAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** `weightDecay` */
  wd: number;
  amsgrad: boolean;
  /** AdamW: `p *= 1 - lr·wd` instead of adding `wd·p` to the gradient. */
  decoupled: boolean;
  /** -1 with `maximize`, else 1. */
  sign: 1 | -1;
}

/** Reads `adamStep`'s scalar attrs. */
export function readAdamStepAttrs(attrs: Readonly<Record<string, unknown>>): AdamStepAttrs {
  const op = 'adamStep';
  return {
    lr: numberAttr(op, attrs, 'lr'),
    beta1: numberAttr(op, attrs, 'beta1'),
    beta2: numberAttr(op, attrs, 'beta2'),
    eps: numberAttr(op, attrs, 'eps'),
    wd: numberAttr(op, attrs, 'weightDecay'),
    amsgrad: attrs['amsgrad'] === true,
    decoupled: attrs['decoupledWeightDecay'] === true,
    sign: attrs['maximize'] === true ? -1 : 1,
  };
}
