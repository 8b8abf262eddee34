/**
 * Writing your own optimizer (seed 004): SGD with momentum, dampening and a DEBIASED moving
 * average of the gradient, as the blog post "Creating the new SGD optimizer with momentum"
 * intends, built on Backstep's `Optimizer` base class.
 *
 * The update of each parameter `p` with gradient `g`, per step `k = 1, 2, ...`:
 *
 *     avg_k = momentum · avg_{k-1} + (1 - dampening) · g_k        (avg_0 = 0)
 *     p    -= lr · avg_k / (1 - momentum^k)                        (the debiasing)
 *
 * With `dampening = momentum` this is the debiased exponentially weighted moving average of the
 * post: for a constant gradient `g` the debiased average is `g` exactly at every step (PyTorch's
 * SGD instead starts its buffer at `g` and never debiases). With `momentum = 0` it is plain SGD.
 *
 * What the base class gives for free (nothing below implements it): param groups with their
 * own hyperparameters (`addParamGroup`, per-group `lr` that schedulers can change), lazily
 * created per-parameter state (`this.stateOf(p)`), `zeroGrad`, `step(closure)`, step pre/post
 * hooks, `stepCount`, and versioned, validated `stateDict()` / `loadStateDict()` with
 * conversion to PyTorch's layout (`toPyTorchStateDict`: `{ state: { 0: { step, avg_grad } } }`).
 *
 * ## The seed code's first-step quirk
 *
 * The post's `step()` creates the state on the first call and returns a ZERO update then:
 *
 *     if len(state) == 0:
 *         state['step'] = 0
 *         avg = state['avg_grad'] = torch.zeros_like(grad)     # first gradient dropped
 *     else:
 *         state['avg_grad'].mul_(momentum).add_(1 - dampening, grad)
 *         avg = state['avg_grad'].div(1 - momentum**state['step'])
 *     state['step'] += 1
 *     p.data.add_(-group['lr'], avg)
 *
 * so the first gradient is thrown away (not even accumulated), and every later call debiases with
 * the previous call's count (call k divides by `1 - momentum^(k-1)`): the intended algorithm,
 * one step late. (It also fails with the default `momentum = 0`: `avg` is never assigned.)
 *
 * This example implements the intended algorithm: the gradient is accumulated FIRST, then the
 * step count is incremented and used for the debiasing, so the very first step already moves by
 * `lr · (1 - dampening) · g / (1 - momentum)` (= `lr · g` when `dampening = momentum`).
 * `{ legacyFirstStep: true }` reproduces the post's code exactly instead (zero first update,
 * shifted debiasing), for comparison; `momentum = 0` is plain SGD in both modes.
 *
 * @example
 * const opt = new DebiasedMomentumSGD(model.parameters(), { lr: 0.1, momentum: 0.9, dampening: 0.9 });
 * for (const [x, y] of batches) {
 *   opt.zeroGrad();
 *   lossFn(model.forward(x), y).backward();
 *   opt.step();
 * }
 */
import { Optimizer, type ParamGroup, type ParamsInput, type StateSchema } from '@backstep/optim';
import { add, detach, div, mul, sub, zerosLike, type Tensor } from '@backstep/tensor';

/** Options of {@link DebiasedMomentumSGD} (the post's defaults: lr 0.1, no momentum, no dampening). */
export interface DebiasedMomentumSGDOptions {
  /** Learning rate (default 0.1). */
  lr?: number;
  /** Momentum factor in [0, 1) (default 0: plain SGD). */
  momentum?: number;
  /** Dampening of the incoming gradient (default 0); `dampening = momentum` gives the EWMA. */
  dampening?: number;
  /** Reproduce the post's code exactly: zero first update, debiasing one step late (default false). */
  legacyFirstStep?: boolean;
}

/** The hyperparameters every param group holds. */
export type DebiasedMomentumSGDHyper = Required<DebiasedMomentumSGDOptions>;

/** SGD with momentum, dampening and a debiased moving average of the gradient (see the file's comment). */
export class DebiasedMomentumSGD extends Optimizer<DebiasedMomentumSGDHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters. */
  constructor(params: ParamsInput<DebiasedMomentumSGDOptions>, options: DebiasedMomentumSGDOptions = {}) {
    super(params as ParamsInput<DebiasedMomentumSGDHyper>, {
      lr: options.lr ?? 0.1,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      legacyFirstStep: options.legacyFirstStep ?? false,
    });
  }

  /** Hyperparameter checks, run for every group added (and for loaded state dicts). */
  protected override validateGroup(g: Record<string, unknown>): void {
    const num = (k: string) => typeof g[k] === 'number' && !Number.isNaN(g[k]);
    if (!num('lr') || (g['lr'] as number) < 0) throw new RangeError(`Invalid learning rate: ${String(g['lr'])}`);
    // 1 - momentum^k must not vanish: momentum = 1 would divide by zero
    if (!num('momentum') || (g['momentum'] as number) < 0 || (g['momentum'] as number) >= 1) {
      throw new RangeError(`Invalid momentum value: ${String(g['momentum'])} (expected 0 <= momentum < 1)`);
    }
    if (!num('dampening')) throw new RangeError(`Invalid dampening value: ${String(g['dampening'])}`);
    if (typeof g['legacyFirstStep'] !== 'boolean') throw new TypeError('Invalid legacyFirstStep value: expected a boolean');
  }

  /** The per-parameter state, so `loadStateDict` can check names, shapes and dtypes. */
  protected override stateSchema(group: Record<string, unknown>): StateSchema {
    return group['momentum'] === 0 ? {} : { step: 'scalar', avgGrad: 'param' };
  }

  /** Called once per param group by `step()` (after the closure, between the hooks). */
  protected override updateGroup(group: ParamGroup<DebiasedMomentumSGDHyper>): void {
    const { lr, momentum, dampening, legacyFirstStep } = group;
    // paramsWithGrad skips parameters whose .grad is null (PyTorch's `if p.grad is None: continue`)
    for (const p of this.paramsWithGrad(group)) {
      p.engine.tidy(() => {
        const g = detach(p.grad!); // the math runs on detached tensors: autograd records nothing
        let update: Tensor;
        if (momentum === 0) {
          update = g; // plain SGD
        } else {
          const state = this.stateOf(p); // created empty on the parameter's first update
          let avgGrad = state['avgGrad'] as Tensor | undefined;
          if (avgGrad === undefined) {
            // state tensors must outlive this tidy scope: keep them (the optimizer owns them)
            avgGrad = p.engine.keep(zerosLike(p));
            state['avgGrad'] = avgGrad;
            state['step'] = 0;
            if (legacyFirstStep) {
              // the post: the first call only creates the state; avg = zeros, so p does not move
              state['step'] = 1;
              return;
            }
          }
          // avg = momentum · avg + (1 - dampening) · g, stored in place (same state object)
          avgGrad.assignData(add(mul(avgGrad, momentum), mul(g, 1 - dampening)));
          const before = state['step'] as number;
          // intended algorithm: count this step first; the post divides by the previous count
          const k = legacyFirstStep ? before : before + 1;
          state['step'] = before + 1;
          update = div(avgGrad, 1 - momentum ** k);
        }
        // p -= lr · update, keeping the parameter object (identity) stable
        p.assignData(sub(detach(p), mul(update, lr)));
      });
    }
  }
}
