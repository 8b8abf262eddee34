/**
 * backstep — the umbrella package. Re-exports every Backstep package and, on import, registers
 * the CPU backend and autograd into the default engine, so the simple case needs no setup:
 *
 * ```ts
 * import { tensor, nn } from '@backstep/backstep';
 * ```
 *
 * With the small packages the same setup is `registerCpuBackend(); registerAutograd();`.
 */
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';

registerCpuBackend();
registerAutograd();

export * from '@backstep/tensor';
export { CpuBackend, CPU_KERNELS, registerCpuBackend, type RegisterCpuOptions } from '@backstep/backend-cpu';
export * from '@backstep/autograd';
/** `@backstep/nn` as a namespace (PyTorch's `torch.nn`), e.g. `new nn.Linear(2, 3)`. */
export * as nn from '@backstep/nn';
export { Module, Parameter } from '@backstep/nn';
/** `@backstep/optim` as a namespace (PyTorch's `torch.optim`), e.g. `new optim.Adam(model.parameters())`. */
export * as optim from '@backstep/optim';
export { Optimizer, SGD, Adam, AdamW, Adamax, Adagrad, Adadelta, RMSprop, Rprop, ASGD, NAdam, RAdam, LBFGS } from '@backstep/optim';
/** `@backstep/lr-scheduler` as a namespace (PyTorch's `torch.optim.lr_scheduler`). */
export * as lrScheduler from '@backstep/lr-scheduler';
/** `@backstep/checkpoint` as a namespace: `History`, `RollbackGuard`, safetensors training-state files. */
export * as checkpoint from '@backstep/checkpoint';
export { History, RollbackGuard } from '@backstep/checkpoint';
