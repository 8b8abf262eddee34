/**
 * THE descriptor table of optimizers: it drives the whole test matrix (golden trajectories in
 * float32/float64 on the fused and composed paths, state-dict round trips, error cases, memory).
 */
import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, ASGD, NAdam, RAdam, RMSprop, Rprop, SGD, type Optimizer, type ParamsInput,
} from '../src/index.js';

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

const ADAM_INVALID: Array<[Record<string, unknown>, RegExp]> = [
  [{ lr: -1 }, /Invalid learning rate: -1/],
  [{ eps: -1e-8 }, /Invalid epsilon value: -1e-8/],
  [{ betas: [1, 0.999] }, /Invalid beta parameter at index 0: 1/],
  [{ betas: [0.9, -0.1] }, /Invalid beta parameter at index 1: -0.1/],
  [{ betas: [0.9] }, /Invalid betas: expected a pair/],
  [{ weightDecay: -1 }, /Invalid weightDecay value: -1/],
  [{ amsgrad: 'yes' }, /Invalid amsgrad value: expected a boolean/],
];

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
  {
    name: 'Adam',
    create: ctor(Adam),
    golden: ['adam_default', 'adam_betas_eps', 'adam_weight_decay', 'adam_amsgrad', 'adam_maximize', 'adam_amsgrad_maximize_wd', 'adam_two_groups'],
    options: { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.01, amsgrad: true, maximize: true },
    defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
    invalid: [...ADAM_INVALID],
  },
  {
    name: 'AdamW',
    create: ctor(AdamW),
    golden: ['adamw_default', 'adamw_wd_amsgrad', 'adamw_maximize', 'adamw_betas_eps'],
    options: { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.05, amsgrad: true, maximize: true },
    defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false },
    invalid: [...ADAM_INVALID],
  },
  {
    name: 'Adamax',
    create: ctor(Adamax),
    golden: ['adamax_default', 'adamax_wd_betas', 'adamax_maximize'],
    options: { lr: 0.02, betas: [0.85, 0.995], eps: 1e-6, weightDecay: 0.01, maximize: true },
    defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false },
    invalid: ADAM_INVALID.filter(([o]) => !('amsgrad' in o)),
  },
  {
    name: 'Adagrad',
    create: ctor(Adagrad),
    golden: ['adagrad_default', 'adagrad_lr_decay', 'adagrad_init_acc_eps', 'adagrad_two_groups', 'adagrad_wd_maximize'],
    options: { lr: 0.1, lrDecay: 0.05, weightDecay: 0.01, initialAccumulatorValue: 0.1, eps: 1e-8, maximize: true },
    defaults: { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false },
    invalid: [
      [{ lr: -1 }, /Invalid learning rate: -1/],
      [{ lrDecay: -0.5 }, /Invalid lrDecay value: -0.5/],
      [{ weightDecay: -1 }, /Invalid weightDecay value: -1/],
      [{ initialAccumulatorValue: -1 }, /Invalid initialAccumulatorValue value: -1/],
      [{ eps: -1 }, /Invalid epsilon value: -1/],
    ],
  },
  {
    name: 'Adadelta',
    create: ctor(Adadelta),
    golden: ['adadelta_default', 'adadelta_rho_eps_lr', 'adadelta_wd_maximize'],
    options: { lr: 0.5, rho: 0.95, eps: 1e-5, weightDecay: 0.01, maximize: true },
    defaults: { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false },
    invalid: [
      [{ lr: -1 }, /Invalid learning rate: -1/],
      [{ rho: 1.5 }, /Invalid rho value: 1.5/],
      [{ rho: -0.1 }, /Invalid rho value: -0.1/],
      [{ eps: -1 }, /Invalid epsilon value: -1/],
      [{ weightDecay: -1 }, /Invalid weightDecay value: -1/],
    ],
  },
  {
    name: 'RMSprop',
    create: ctor(RMSprop),
    golden: ['rmsprop_default', 'rmsprop_momentum', 'rmsprop_centered', 'rmsprop_centered_momentum', 'rmsprop_wd_maximize', 'rmsprop_two_groups'],
    options: { lr: 0.005, alpha: 0.9, eps: 1e-6, weightDecay: 0.01, momentum: 0.5, centered: true, maximize: true },
    defaults: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false },
    invalid: [
      [{ lr: -1 }, /Invalid learning rate: -1/],
      [{ eps: -1 }, /Invalid epsilon value: -1/],
      [{ momentum: -1 }, /Invalid momentum value: -1/],
      [{ weightDecay: -1 }, /Invalid weightDecay value: -1/],
      [{ alpha: -1 }, /Invalid alpha value: -1/],
      [{ centered: 1 }, /Invalid centered value: expected a boolean/],
    ],
  },
  {
    name: 'Rprop',
    create: ctor(Rprop),
    golden: ['rprop_default', 'rprop_etas_step_sizes', 'rprop_maximize'],
    options: { lr: 0.01, etas: [0.3, 1.5], stepSizes: [1e-3, 0.05], maximize: true },
    defaults: { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false },
    invalid: [
      [{ lr: -1 }, /Invalid learning rate: -1/],
      [{ etas: [1.5, 1.2] }, /Invalid eta values: 1.5, 1.2/],
      [{ etas: [0.5, 0.9] }, /Invalid eta values: 0.5, 0.9/],
      [{ stepSizes: [1, 0.5] }, /Invalid stepSizes values: 1, 0.5/],
      [{ etas: 0.5 }, /Invalid etas: expected a pair of numbers/],
    ],
  },
  {
    name: 'ASGD',
    create: ctor(ASGD),
    golden: ['asgd_default', 'asgd_t0_lambd_alpha', 'asgd_wd_maximize'],
    options: { lr: 0.05, lambd: 1e-3, alpha: 0.6, t0: 3, weightDecay: 0.01, maximize: true },
    defaults: { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false },
    invalid: [
      [{ lr: -1 }, /Invalid learning rate: -1/],
      [{ weightDecay: -1 }, /Invalid weightDecay value: -1/],
      [{ lambd: 'x' }, /Invalid lambd value: "x"/],
    ],
  },
  {
    name: 'NAdam',
    create: ctor(NAdam),
    golden: ['nadam_default', 'nadam_momentum_decay_betas', 'nadam_weight_decay'],
    options: { lr: 0.01, betas: [0.85, 0.99], eps: 1e-7, weightDecay: 0.02, momentumDecay: 0.01 },
    defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 },
    invalid: [...ADAM_INVALID.filter(([o]) => !('amsgrad' in o)), [{ momentumDecay: -1 }, /Invalid momentumDecay value: -1/]],
  },
  {
    name: 'RAdam',
    create: ctor(RAdam),
    golden: ['radam_default', 'radam_short', 'radam_wd_betas_eps'],
    options: { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.01 },
    defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 },
    invalid: ADAM_INVALID.filter(([o]) => !('amsgrad' in o)),
  },
];
