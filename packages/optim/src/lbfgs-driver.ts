import { Tensor } from '@backstep/tensor';
import type { LbfgsGen, LbfgsRequest } from './lbfgs-reads.js';
import type { Closure, ClosureResult } from './types.js';

/** A closure for `LBFGS.stepAsync`: may return the loss or a promise of it. */
export type AsyncClosure = () => ClosureResult | Promise<ClosureResult>;

/** The value of a closure's loss (PyTorch's `float(closure())`). */
function lossValue(out: unknown, where: string): number {
  if (out instanceof Tensor) return out.item();
  if (typeof out === 'number') return out;
  if (out instanceof Promise) throw new TypeError(`${where}: the closure returned a Promise; use \`await opt.stepAsync(closure)\``);
  throw new TypeError(`${where}: the closure must return the loss (a Tensor or a number), got ${out === null ? 'null' : typeof out}`);
}

async function lossValueAsync(out: unknown): Promise<number> {
  if (out instanceof Tensor) return out.itemAsync();
  return lossValue(out, 'LBFGS.stepAsync');
}

/**
 * Runs an algorithm generator to completion, answering each request with `answer`. While the
 * answers are plain numbers the run is synchronous and its result is returned; from the first
 * promised answer on it continues asynchronously and a promise of the result is returned. If
 * anything throws (an answer, the generator) the generator is closed (its `finally` blocks run)
 * and the error propagates.
 */
function drive<R>(gen: LbfgsGen<R>, answer: (req: LbfgsRequest) => number | Promise<number>): R | Promise<R> {
  const abort = (e: unknown): never => {
    gen.return(undefined as R);
    throw e;
  };
  const resume = (input: number): R | Promise<R> => {
    try {
      for (;;) {
        const res = gen.next(input);
        if (res.done) return res.value;
        const a = answer(res.value);
        if (a instanceof Promise) return a.then(resume, abort);
        input = a;
      }
    } catch (e) {
      return abort(e);
    }
  };
  return resume(0);
}

/**
 * `LBFGS.step`'s driver: reads with `item()`, evaluates the closure synchronously. Returns the
 * closure's first result.
 */
export function runSync(gen: LbfgsGen<void>, closure: Closure): ClosureResult | undefined {
  let first: ClosureResult | undefined;
  drive(gen, (req) => {
    if (req.kind === 'read') return req.tensor.item();
    const out = closure();
    first ??= out;
    return lossValue(out, 'LBFGS.step');
  });
  return first;
}

/**
 * `LBFGS.stepAsync`'s driver: reads with `await itemAsync()`, awaits the closure. Resolves to the
 * closure's first result.
 */
export async function runAsync(gen: LbfgsGen<void>, closure: AsyncClosure): Promise<ClosureResult | undefined> {
  let first: ClosureResult | undefined;
  await drive(gen, async (req) => {
    if (req.kind === 'read') return req.tensor.itemAsync();
    const out = await closure();
    first ??= out;
    return lossValueAsync(out);
  });
  return first;
}
