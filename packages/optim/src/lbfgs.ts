import { abs, add, amax, cast, cat, detach, fmtShape, mul, neg, reshape, slice, sub, sum, Tensor, zeros, type Engine } from '@backstep/tensor';
import {
  absMaxNum,
  dotNum,
  readNum,
  ScalarOps,
  strongWolfe,
  type DirectionalEvaluate,
  type LbfgsGen,
  type LbfgsRequest,
  type Num,
} from './lbfgs-line-search.js';
import { Optimizer } from './optimizer.js';
import type {
  Closure,
  ClosureResult,
  LoadStateDictOptions,
  OptimizerStateDict,
  Param,
  ParamGroupInput,
  ParamsInput,
  ParamState,
  StateSchema,
  StateValue,
} from './types.js';
import { check, checkLr } from './validate.js';

/** LBFGS hyperparameters (torch 1.13's names, camelCase, and defaults). */
export interface LBFGSOptions {
  /** Learning rate: the step length without line search, the initial trial step with it (default 1). */
  lr?: number;
  /** Maximal number of iterations per `step()` (default 20). */
  maxIter?: number;
  /** Maximal number of closure evaluations per `step()` (default `floor(maxIter * 5 / 4)`). */
  maxEval?: number | null;
  /** Stop when `max |grad|` is at most this (first-order optimality, default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss, the parameters or the directional derivative change less than this (default 1e-9). */
  toleranceChange?: number;
  /** Number of curvature pairs kept (default 100). */
  historySize?: number;
  /** `'strong_wolfe'` or null (fixed step `lr`, the default). */
  lineSearchFn?: 'strong_wolfe' | null;
}

/** The hyperparameters LBFGS's (single) param group holds. */
export interface LBFGSHyper {
  lr: number;
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: 'strong_wolfe' | null;
}

/** A closure for {@link LBFGS.stepAsync}: may return the loss or a promise of it. */
export type AsyncClosure = () => ClosureResult | Promise<ClosureResult>;

const NO_GROUPS = "LBFGS doesn't support per-parameter options (parameter groups)";
const NEEDS_CLOSURE =
  'LBFGS.step requires a closure that reevaluates the model and returns the loss, e.g. ' +
  'opt.step(() => { opt.zeroGrad(); const loss = lossFn(model.forward(x), y); loss.backward(); return loss; })';

function checkPositiveInt(g: Record<string, unknown>, key: string): void {
  check(g[key], (v) => Number.isInteger(v) && v >= 1, `Invalid ${key} value (expected a positive integer)`);
}

/** Checks LBFGS hyperparameters. */
export function validateLBFGS(g: Record<string, unknown>): void {
  checkLr(g);
  checkPositiveInt(g, 'maxIter');
  checkPositiveInt(g, 'maxEval');
  check(g['toleranceGrad'], () => true, 'Invalid toleranceGrad value');
  check(g['toleranceChange'], () => true, 'Invalid toleranceChange value');
  checkPositiveInt(g, 'historySize');
  const ls = g['lineSearchFn'];
  if (ls !== null && ls !== 'strong_wolfe') {
    throw new RangeError(`Invalid lineSearchFn value: ${JSON.stringify(ls)} (only 'strong_wolfe' is supported, or null)`);
  }
}

/** The LBFGS state (kept on the first parameter, as PyTorch does), as the algorithm sees it. */
interface LbfgsState {
  funcEvals?: number;
  nIter?: number;
  d?: Tensor | null;
  t?: number | null;
  oldDirs?: Tensor[];
  oldStps?: Tensor[];
  ro?: number[];
  HDiag?: number | null;
  prevFlatGrad?: Tensor | null;
  prevLoss?: number | null;
  al?: Array<number | null>;
}

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

const FLOAT64_SUPPORT = new WeakMap<Engine, Map<string, boolean>>();

/** Whether `backend` of `engine` can hold float64 tensors (WebGPU cannot); probed once. */
function holdsFloat64(engine: Engine, backend: string): boolean {
  let m = FLOAT64_SUPPORT.get(engine);
  if (m === undefined) FLOAT64_SUPPORT.set(engine, (m = new Map()));
  let ok = m.get(backend);
  if (ok === undefined) {
    try {
      engine.tidy(() => {
        cast(zeros([1], { dtype: 'float32', backend, engine }), 'float64');
      });
      ok = true;
    } catch {
      ok = false;
    }
    m.set(backend, ok);
  }
  return ok;
}

/**
 * `x + alpha·u` (`x.add_(u, alpha=alpha)` in torch). PyTorch's CPU kernel computes it with a
 * fused multiply-add, i.e. rounded once; for float32 that is reproduced by computing in float64
 * (the product of two float32 values is exact there) and rounding to float32, where the backend
 * can hold float64. A backend without float64 (WebGPU) may register the optional kernel `'axpy'`
 * (inputs `[x, u]` of one shape, attr `alpha`; returns a new tensor `x + alpha·u` rounded once),
 * which is used for float32 then. Otherwise (float64 tensors, or neither) it is `x + alpha·u`
 * with two roundings. The difference matters: LBFGS on a curved objective amplifies it.
 */
function axpy(x: Tensor, u: Tensor, alpha: number): Tensor {
  if (x.dtype === 'float32') {
    if (holdsFloat64(x.engine, x.backendName)) {
      return cast(add(cast(x, 'float64'), mul(cast(u, 'float64'), Math.fround(alpha))), 'float32');
    }
    if (x.engine.hasKernel('axpy', x.backendName)) return x.engine.runKernel('axpy', [x, u], { alpha: Math.fround(alpha) })[0]!;
  }
  return add(x, mul(u, alpha));
}

function fail(msg: string): never {
  throw new Error(`loadStateDict: ${msg}`);
}

/**
 * L-BFGS (`torch.optim.LBFGS`, 1.13), heavily inspired by minFunc: a faithful port of PyTorch's
 * control flow (flat gradient, `toleranceGrad` / `toleranceChange` stops, history update when
 * `y·s > 1e-10`, `H_diag` scaling, the two-loop recursion, the first iteration's
 * `t = min(1, 1/|g|₁)·lr`, the optional strong Wolfe line search with cubic interpolation,
 * `maxEval` and the `funcEvals` / `nIter` bookkeeping).
 *
 * - `step(closure)` REQUIRES a closure that re-evaluates the model: it calls `zeroGrad()`, the
 *   forward pass and `backward()` and returns the loss (a Tensor or a number). The closure may
 *   be called several times per step; `step` returns the loss of the first call.
 * - One param group only (as PyTorch: "LBFGS doesn't support per-parameter options"); all
 *   parameters must share one dtype and one backend.
 * - The vector math (flat gradient = `cat` of the reshaped gradients, directions, history) runs
 *   on the parameters' backend through tensor ops on detached tensors; the parameters are
 *   written back with `assignData`. The scalars the algorithm branches on (dot products, the
 *   loss, `max |g|`) are read to the host as PyTorch reads them with `.item()`: `step()` reads
 *   synchronously (CPU backend, or any backend with synchronous reads); on backends that only
 *   read asynchronously (WebGPU) use `await opt.stepAsync(closure)`, the same algorithm with
 *   `itemAsync()` (its closure may be async too).
 * - State (on the first parameter, like PyTorch): `funcEvals`, `nIter`, `d`, `t`, `oldDirs`,
 *   `oldStps`, `ro`, `HDiag`, `prevFlatGrad`, `prevLoss`, `al`. `stateDict()` / `loadStateDict()`
 *   round-trip it exactly (a resumed LBFGS continues bit-identically) and
 *   `toPyTorchStateDict` gives PyTorch's names (`func_evals`, `H_diag`, `old_dirs`, ...).
 * - If the closure throws, the optimizer's state is left as it was before the step (the
 *   parameters may have moved, as in PyTorch).
 *
 * @example
 * const opt = new LBFGS(model.parameters(), { lineSearchFn: 'strong_wolfe' });
 * const loss = opt.step(() => {
 *   opt.zeroGrad();
 *   const l = lossFn(model.forward(x), y);
 *   l.backward();
 *   return l;
 * });
 */
export class LBFGS extends Optimizer<LBFGSHyper> {
  /** @param params - tensors (one group); @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<LBFGSOptions>, options: LBFGSOptions = {}) {
    const o = options ?? {};
    const maxIter = o.maxIter ?? 20;
    const defaults: LBFGSHyper = {
      lr: o.lr ?? 1,
      maxIter,
      maxEval: o.maxEval ?? Math.floor((maxIter * 5) / 4),
      toleranceGrad: o.toleranceGrad ?? 1e-7,
      toleranceChange: o.toleranceChange ?? 1e-9,
      historySize: o.historySize ?? 100,
      lineSearchFn: o.lineSearchFn ?? null,
    };
    super(params as ParamsInput<LBFGSHyper>, defaults);
    const ps = this.paramGroups[0]!.params;
    const p0 = ps[0]!;
    for (const p of ps) {
      if (p.dtype !== p0.dtype) throw new TypeError(`LBFGS: all parameters must have one dtype, got ${p0.dtype} and ${p.dtype}`);
      if (p.backendName !== p0.backendName) {
        throw new Error(`LBFGS: all parameters must be on one backend, got '${p0.backendName}' and '${p.backendName}'`);
      }
    }
  }

  /** LBFGS has exactly one param group: adding a second one is an error (as in PyTorch). */
  override addParamGroup(group: ParamGroupInput<LBFGSHyper>): void {
    if (this.paramGroups.length >= 1) throw new Error(NO_GROUPS);
    super.addParamGroup(group);
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateLBFGS(group);
  }

  protected override stateSchema(): StateSchema {
    return {
      funcEvals: 'scalar',
      nIter: 'scalar',
      d: 'any',
      t: 'any',
      oldDirs: 'any',
      oldStps: 'any',
      ro: 'any',
      HDiag: 'any',
      prevFlatGrad: 'any',
      prevLoss: 'any',
      al: 'any',
    };
  }

  /** The parameters (of the single group). */
  private get params(): Param[] {
    return this.paramGroups[0]!.params;
  }

  /** The total number of elements of the parameters (the length of the flat vectors). */
  private numel(): number {
    return this.params.reduce((n, p) => n + p.numel(), 0);
  }

  /**
   * Performs one LBFGS step (up to `maxIter` iterations, `maxEval` closure evaluations) and
   * returns the loss of the closure's first evaluation. Needs synchronous reads (CPU); see
   * {@link stepAsync} for other backends.
   */
  override step(closure: Closure): ClosureResult {
    if (typeof closure !== 'function') throw new TypeError(NEEDS_CLOSURE);
    return super.step(closure) as ClosureResult;
  }

  /**
   * {@link step} for backends that read asynchronously (every backend): scalars are read with
   * `itemAsync()` and the closure may return a promise. Same algorithm, same results.
   */
  async stepAsync(closure: AsyncClosure): Promise<ClosureResult> {
    if (typeof closure !== 'function') throw new TypeError(NEEDS_CLOSURE);
    return (await this.stepAsyncWith(async () => {
      const gen = this.algorithm();
      let first: ClosureResult | undefined;
      let input = 0;
      try {
        for (;;) {
          const res = gen.next(input);
          if (res.done) break;
          const req: LbfgsRequest = res.value;
          if (req.kind === 'read') input = await req.tensor.itemAsync();
          else {
            const out = await closure();
            first ??= out;
            input = await lossValueAsync(out);
          }
        }
      } catch (e) {
        gen.return(undefined);
        throw e;
      }
      return first;
    })) as ClosureResult;
  }

  protected override performStep(closure?: Closure): ClosureResult | undefined {
    if (typeof closure !== 'function') throw new TypeError(NEEDS_CLOSURE);
    const gen = this.algorithm();
    let first: ClosureResult | undefined;
    let input = 0;
    try {
      for (;;) {
        const res = gen.next(input);
        if (res.done) break;
        const req: LbfgsRequest = res.value;
        if (req.kind === 'read') input = req.tensor.item();
        else {
          const out = closure();
          first ??= out;
          input = lossValue(out, 'LBFGS.step');
        }
      }
    } catch (e) {
      gen.return(undefined);
      throw e;
    }
    return first;
  }

  /** torch's `_gather_flat_grad`: the gradients (zeros for `grad === null`) as one flat vector. */
  private gatherFlatGrad(): Tensor {
    const ps = this.params;
    const p0 = ps[0]!;
    return p0.engine.tidy(() =>
      cat(
        ps.map((p) =>
          p.grad === null
            ? zeros([p.numel()], { dtype: p.dtype, backend: p.backendName, engine: p.engine })
            : reshape(detach(p.grad), [p.numel()]),
        ),
        0,
      ),
    );
  }

  /** torch's `_add_grad(step_size, update)`: `p += t · update[offset:offset+numel].view_as(p)`. */
  private addGrad(t: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.engine.tidy(() => {
        p.assignData(axpy(detach(p), reshape(slice(update, 0, offset, offset + n), p.shape), t));
      });
      offset += n;
    }
  }

  /**
   * The algorithm of torch 1.13's `LBFGS.step`, as a generator of read / closure requests (see
   * `lbfgs-line-search.ts`). Works on local copies and commits the state at the end.
   */
  private *algorithm(): LbfgsGen<void> {
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const params = this.params;
    const p0 = params[0]!;
    const engine = p0.engine;
    const S = new ScalarOps(p0.dtype);

    // NOTE: LBFGS has only global state, but we register it as state for the first param,
    // because this helps with casting in load_state_dict (PyTorch's comment and layout)
    const state = this.stateOf(p0) as LbfgsState & ParamState;
    let funcEvals = state.funcEvals ?? 0;
    let stateNIter = state.nIter ?? 0;

    // Tensors created during this step (kept out of tidy scopes); those that do not end up in
    // the state are disposed, promptly where possible and at the end otherwise.
    const created = new Set<Tensor>();
    const own = (fn: () => Tensor): Tensor => {
      const t = engine.keep(engine.tidy(fn));
      created.add(t);
      return t;
    };
    const drop = (t: Tensor | null | undefined): void => {
      if (t !== null && t !== undefined && created.has(t)) {
        created.delete(t);
        t.dispose();
      }
    };
    let committed = false;

    try {
      // evaluate initial f(x) and df/dx
      let loss: number = yield { kind: 'closure' };
      let currentEvals = 1;
      funcEvals += 1;

      let flatGrad = own(() => this.gatherFlatGrad());
      let optCond = S.le(yield* absMaxNum(S, flatGrad), toleranceGrad);

      // optimal condition
      if (optCond) {
        state.funcEvals = funcEvals;
        state.nIter = stateNIter;
        committed = true;
        drop(flatGrad);
        return;
      }

      // tensors cached in state (for tracing)
      let d: Tensor | null = state.d ?? null;
      let t: Num = S.py(state.t ?? Number.NaN);
      let oldDirs: Tensor[] = [...(state.oldDirs ?? [])];
      let oldStps: Tensor[] = [...(state.oldStps ?? [])];
      let ro: Num[] = (state.ro ?? []).map((v) => S.tensor(v));
      let HDiag: Num = S.py(state.HDiag ?? 1);
      let prevFlatGrad: Tensor | null = state.prevFlatGrad ?? null;
      let prevLoss: number | null = state.prevLoss ?? null;
      let al: Array<Num | null> | undefined = state.al?.map((v) => (v === null ? null : S.tensor(v)));

      let nIter = 0;
      // optimize for a max of maxIter iterations
      while (nIter < maxIter) {
        // keep track of nb of iterations
        nIter += 1;
        stateNIter += 1;

        // ---- compute gradient descent direction ----
        if (stateNIter === 1) {
          drop(d);
          const g0 = flatGrad;
          d = own(() => neg(g0));
          for (const x of [...oldDirs, ...oldStps]) drop(x);
          oldDirs = [];
          oldStps = [];
          ro = [];
          HDiag = S.py(1);
        } else {
          // do lbfgs update (update memory)
          const [g1, prev, dPrev, tPrev] = [flatGrad, prevFlatGrad!, d!, t.v];
          const y = own(() => sub(g1, prev));
          const s = own(() => mul(dPrev, tPrev));
          const ys = yield* dotNum(S, y, s); // y*s
          if (S.gt(ys, 1e-10)) {
            // updating memory
            if (oldDirs.length === historySize) {
              // shift history by one (limited-memory)
              drop(oldDirs.shift());
              drop(oldStps.shift());
              ro.shift();
            }
            // store new direction/step
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(S.div(1.0, ys));
            // update scale of initial Hessian approximation
            HDiag = S.div(ys, yield* dotNum(S, y, y)); // (y*y)
          } else {
            drop(y);
            drop(s);
          }

          // compute the approximate (L-BFGS) inverse Hessian multiplied by the gradient
          const numOld = oldDirs.length;
          al ??= new Array<Num | null>(historySize).fill(null);

          // iteration in L-BFGS loop collapsed to use just one buffer
          let q = own(() => neg(g1));
          for (let i = numOld - 1; i >= 0; i--) {
            const ai = S.mul(yield* dotNum(S, oldStps[i]!, q), ro[i]!);
            al[i] = ai;
            const qi = q;
            const next = own(() => axpy(qi, oldDirs[i]!, S.neg(ai).v)); // q.add_(old_dirs[i], alpha=-al[i])
            drop(q);
            q = next;
          }

          // multiply by initial Hessian; r/d is the final direction
          const q0 = q;
          const h = HDiag;
          let r = own(() => mul(q0, h.v));
          drop(q);
          for (let i = 0; i < numOld; i++) {
            const beI = S.mul(yield* dotNum(S, oldDirs[i]!, r), ro[i]!);
            const alpha = S.sub(al[i]!, beI).v;
            const ri = r;
            const next = own(() => axpy(ri, oldStps[i]!, alpha)); // r.add_(old_stps[i], alpha=al[i] - be_i)
            drop(r);
            r = next;
          }
          drop(d);
          d = r;
        }

        // prev_flat_grad.copy_(flat_grad) (a new tensor object sharing the buffer: nothing here
        // writes into buffers in place)
        const gNow = flatGrad;
        const nextPrev = own(() => detach(gNow));
        drop(prevFlatGrad);
        prevFlatGrad = nextPrev;
        prevLoss = loss;

        // ---- compute step length ----
        // reset initial guess for step size
        if (stateNIter === 1) {
          const fg = flatGrad;
          const absSum = yield* readNum(S, engine.tidy(() => sum(abs(fg))));
          t = S.mul(S.min(1.0, S.div(1.0, absSum)), lr);
        } else {
          t = S.py(lr);
        }

        // directional derivative
        const gtd = yield* dotNum(S, flatGrad, d); // g * d

        // directional derivative is below tolerance
        if (S.gt(gtd, -toleranceChange)) break;

        // optional line search: user function
        let lsFuncEvals = 0;
        if (lineSearchFn !== null) {
          // perform line search, using user function
          const xInit = params.map((p) => own(() => detach(p)));
          const dir = d;
          const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
          // torch's _directional_evaluate: params += t·d, closure, flat grad, params = x_init
          const evaluate: DirectionalEvaluate = function* (step: Num): LbfgsGen<[number, Tensor]> {
            self.addGrad(step.v, dir);
            const f: number = yield { kind: 'closure' };
            const g = own(() => self.gatherFlatGrad());
            params.forEach((p, i) => p.assignData(xInit[i]!));
            return [f, g];
          };
          // PyTorch calls _strong_wolfe with its default tolerance_change (1e-9), not the group's
          const res = yield* strongWolfe(S, evaluate, t, d, loss, flatGrad, gtd);
          for (const x of xInit) drop(x);
          if (res.g !== flatGrad) created.delete(flatGrad); // disposed by the line search
          loss = res.f;
          flatGrad = res.g;
          t = res.t;
          lsFuncEvals = res.lsFuncEvals;
          this.addGrad(t.v, d);
          optCond = S.le(yield* absMaxNum(S, flatGrad), toleranceGrad);
        } else {
          // no line search, simply move with fixed-step
          this.addGrad(t.v, d);
          if (nIter !== maxIter) {
            // re-evaluate function only if not in last iteration (in a stochastic setting there
            // is no use re-evaluating the function here)
            loss = yield { kind: 'closure' };
            const g = own(() => this.gatherFlatGrad());
            drop(flatGrad);
            flatGrad = g;
            optCond = S.le(yield* absMaxNum(S, flatGrad), toleranceGrad);
            lsFuncEvals = 1;
          }
        }

        // update func eval
        currentEvals += lsFuncEvals;
        funcEvals += lsFuncEvals;

        // ---- check conditions ----
        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        // optimal condition
        if (optCond) break;
        // lack of progress
        const dd = d;
        const tv = t.v;
        if (S.le(yield* readNum(S, engine.tidy(() => amax(abs(mul(dd, tv))))), toleranceChange)) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }

      // commit the new state (PyTorch's key order); free what the old state held and the new drops
      const before = collectTensors(state);
      const next: LbfgsState = { funcEvals, nIter: stateNIter };
      if (al !== undefined) next.al = al.map((a) => (a === null ? null : a.v));
      next.d = d;
      next.t = t.v;
      next.oldDirs = oldDirs;
      next.oldStps = oldStps;
      next.ro = ro.map((v) => v.v);
      next.HDiag = HDiag.v;
      next.prevFlatGrad = prevFlatGrad;
      next.prevLoss = prevLoss;
      const after = collectTensors(next as ParamState);
      for (const k of Object.keys(state)) delete state[k];
      Object.assign(state, next);
      committed = true;
      for (const x of before) if (!after.has(x)) x.dispose();
      for (const x of created) if (!after.has(x)) x.dispose();
    } finally {
      if (!committed) for (const x of created) x.dispose();
    }
  }

  /**
   * Restores a state dict saved by {@link stateDict} (or converted from PyTorch with
   * `fromPyTorchStateDict`, whose number lists `ro` / `al` arrive as 1-D tensors and are turned
   * back into numbers here). Besides the base checks, the flat vectors (`d`, `prevFlatGrad`, the
   * history) must have the parameters' total size and the history lists matching lengths.
   */
  override loadStateDict(sd: OptimizerStateDict, options: LoadStateDictOptions = {}): void {
    const n = this.numel();
    let normalized = sd;
    if (sd !== null && typeof sd === 'object' && sd.state !== null && typeof sd.state === 'object' && !Array.isArray(sd.state)) {
      const state: OptimizerStateDict['state'] = {};
      for (const [id, entry] of Object.entries(sd.state)) {
        if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length === 0) {
          state[Number(id)] = entry;
          continue;
        }
        if (Number(id) !== 0) fail(`LBFGS keeps its state on parameter 0, but the dict has state for parameter ${id}`);
        const e: ParamState = { ...entry };
        for (const k of ['ro', 'al']) {
          const v = e[k];
          if (v instanceof Tensor) {
            if (v.ndim !== 1) fail(`state '${k}' must be a list of numbers, got a tensor of shape ${fmtShape(v.shape)}`);
            e[k] = v.tolist() as number[];
          }
        }
        checkLbfgsEntry(e, n);
        state[Number(id)] = e;
      }
      normalized = { ...sd, state };
    }
    super.loadStateDict(normalized, options);
  }
}

/** Every tensor inside a state object (lists included). */
function collectTensors(state: ParamState): Set<Tensor> {
  const out = new Set<Tensor>();
  const walk = (v: StateValue | undefined): void => {
    if (v instanceof Tensor) out.add(v);
    else if (Array.isArray(v)) for (const x of v) walk(x as StateValue);
  };
  for (const v of Object.values(state)) walk(v);
  return out;
}

/** Shape/structure checks of an LBFGS state entry (dtypes and backends are checked by the base). */
function checkLbfgsEntry(e: ParamState, numel: number): void {
  const vec = (v: unknown, where: string, nullable: boolean): void => {
    if (v === null && nullable) return;
    if (!(v instanceof Tensor)) fail(`state '${where}' must be a tensor${nullable ? ' or null' : ''}`);
    if (v.ndim !== 1 || v.shape[0] !== numel) {
      fail(`state '${where}' has shape ${fmtShape(v.shape)} but LBFGS's flat vectors have shape [${numel}] (the parameters' total size)`);
    }
  };
  const num = (v: unknown, where: string): void => {
    if (v !== null && typeof v !== 'number') fail(`state '${where}' must be a number or null`);
  };
  if ('d' in e) vec(e['d'], 'd', true);
  if ('prevFlatGrad' in e) vec(e['prevFlatGrad'], 'prevFlatGrad', true);
  for (const k of ['t', 'HDiag', 'prevLoss']) if (k in e) num(e[k], k);
  const lists: Record<string, number> = {};
  for (const k of ['oldDirs', 'oldStps', 'ro']) {
    if (!(k in e)) continue;
    const v = e[k];
    if (!Array.isArray(v)) fail(`state '${k}' must be a list`);
    lists[k] = v.length;
    if (k === 'ro') v.forEach((x, i) => typeof x !== 'number' && fail(`state 'ro[${i}]' must be a number`));
    else v.forEach((x, i) => vec(x, `${k}[${i}]`, false));
  }
  const lens = Object.entries(lists);
  if (lens.length > 0 && (lens.length !== 3 || new Set(lens.map(([, l]) => l)).size !== 1)) {
    fail(`state 'oldDirs', 'oldStps' and 'ro' must be lists of the same length, got ${lens.map(([k, l]) => `${k}: ${l}`).join(', ')}`);
  }
  if ('al' in e) {
    const v = e['al'];
    if (!Array.isArray(v)) fail("state 'al' must be a list");
    v.forEach((x, i) => x !== null && typeof x !== 'number' && fail(`state 'al[${i}]' must be a number or null`));
  }
}
