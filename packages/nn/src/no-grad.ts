import { noGrad } from '@backstep/autograd';

/**
 * Runs `fn` with gradient recording disabled (autograd's `noGrad`). Every in-place update this
 * package makes to parameters, buffers and gradients (init, `loadStateDict`, gradient clipping)
 * goes through here, as PyTorch wraps them in `torch.no_grad()`.
 */
export function withNoGrad<T>(fn: () => T): T {
  return noGrad(fn);
}
