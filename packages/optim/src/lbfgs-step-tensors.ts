import type { Engine, Tensor } from '@backstep/tensor';

/**
 * The tensors one LBFGS step creates, kept out of tidy scopes. Those that do not end up in the
 * optimizer's state are disposed: promptly where the algorithm drops them, and at the end of the
 * step otherwise ({@link disposeExcept}, or {@link disposeAll} when the step fails).
 */
export class StepTensors {
  private readonly created = new Set<Tensor>();

  /** @param engine - the parameters' engine */
  constructor(private readonly engine: Engine) {}

  /** Runs `fn` in a tidy scope and keeps (and records) the tensor it returns. */
  own(fn: () => Tensor): Tensor {
    const t = this.engine.keep(this.engine.tidy(fn));
    this.created.add(t);
    return t;
  }

  /** Disposes `t` now if this step created it (and has not disposed it yet). */
  drop(t: Tensor | null | undefined): void {
    if (t !== null && t !== undefined && this.created.has(t)) {
      this.created.delete(t);
      t.dispose();
    }
  }

  /** Stops tracking `t` (something else disposed it or owns it now). */
  forget(t: Tensor): void {
    this.created.delete(t);
  }

  /** Disposes every tracked tensor not in `keep`. */
  disposeExcept(keep: ReadonlySet<Tensor>): void {
    for (const x of this.created) if (!keep.has(x)) x.dispose();
  }

  /** Disposes every tracked tensor. */
  disposeAll(): void {
    for (const x of this.created) x.dispose();
  }
}
