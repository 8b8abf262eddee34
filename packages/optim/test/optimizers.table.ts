/**
 * THE descriptor table of optimizers: it drives the whole test matrix (golden trajectories in
 * float32/float64 on the fused and composed paths, state-dict round trips, error cases, memory).
 */
import { SGD, type Optimizer, type ParamsInput } from '../src/index.js';

/** One optimizer under test. */
export interface OptimizerDescriptor {
  /** PyTorch's class name, as in the golden files' `optimizer` field. */
  name: string;
  /** Builds the optimizer from params/groups and camelCase options. */
  create: (params: ParamsInput<never>, options: Record<string, unknown>) => Optimizer<object>;
  /** Golden trajectory files (in `optim/`, without `.json`). */
  golden: string[];
  /** A non-default option set exercising the algorithm's features (round trips, memory). */
  options: Record<string, unknown>;
  /** Every hyperparameter with PyTorch 1.13's default (what `defaults` must hold). */
  defaults: Record<string, unknown>;
  /** Invalid constructor options and the error each must raise. */
  invalid: Array<[Record<string, unknown>, RegExp]>;
}

const ctor =
  <O>(C: new (p: never, o: O) => unknown) =>
  (p: ParamsInput<never>, o: Record<string, unknown>): Optimizer<object> =>
    new C(p as never, o as O) as Optimizer<object>;

/** Every optimizer of the package except LBFGS (closure-driven, tested by its own suite). */
export const OPTIMIZERS: OptimizerDescriptor[] = [
  {
    name: 'SGD',
    create: ctor(SGD),
    golden: [
      'sgd_plain', 'sgd_momentum', 'sgd_momentum_dampening', 'sgd_nesterov', 'sgd_nesterov_weight_decay',
      'sgd_weight_decay_momentum', 'sgd_maximize', 'sgd_two_groups',
    ],
    options: { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, maximize: true },
    defaults: { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    invalid: [
      [{ lr: -1 }, /Invalid learning rate: -1/],
      [{ lr: 0.1, momentum: -0.5 }, /Invalid momentum value: -0.5/],
      [{ lr: 0.1, weightDecay: -1 }, /Invalid weightDecay value: -1/],
      [{ lr: 0.1, nesterov: true }, /Nesterov momentum requires a momentum and zero dampening/],
      [{ lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }, /Nesterov momentum requires a momentum and zero dampening/],
      [{}, /required optimization parameter lr/],
      [{ lr: Number.NaN }, /Invalid learning rate: NaN/],
    ],
  },
];
