/** The Optimizer base: construction errors, groups, zeroGrad, step/closure, hooks, skipping null grads. */
import { describe, expect, it } from 'vitest';
import { mul, tensor, type Tensor } from '@backstep/tensor';
import { Optimizer, SGD, type ParamGroup, type ParamsInput } from '../src/index.js';
import { makeEngine, mk, vals } from './helpers.js';

const engine = makeEngine(false);
const leaf = (v: number[]): Tensor => mk(engine, v, [v.length], 'float32', true);

describe('Optimizer construction', () => {
  it('accepts a list of leaf tensors as one group with the defaults filled in', () => {
    const x = leaf([1]);
    const y = leaf([2]);
    const opt = new SGD([x, y], { lr: 0.1 });
    expect(opt.paramGroups.length).toBe(1);
    expect(opt.paramGroups[0]!.params).toEqual([x, y]);
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(opt.defaults).toEqual({ lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(opt.state.size).toBe(0);
    expect(opt.stepCount).toBe(0);
  });

  it('accepts any iterable (a generator) and param-group objects with overrides', () => {
    const a = leaf([1]);
    const b = leaf([2]);
    function* gen(): Generator<Tensor> {
      yield a;
    }
    expect(new SGD(gen(), { lr: 1 }).paramGroups[0]!.params).toEqual([a]);
    const opt = new SGD([{ params: [a] }, { params: b, lr: 0.5, momentum: 0.9 }], { lr: 0.1 });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9, params: [b] });
  });

  it('rejects an empty list, a single tensor, a Set, and non-tensors', () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD([{ params: [] }], { lr: 0.1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD(leaf([1]) as unknown as Tensor[], { lr: 0.1 })).toThrow(/should be an iterable of Tensors or dicts, but got a Tensor/);
    expect(() => new SGD(new Set([leaf([1])]), { lr: 0.1 })).toThrow(/ordered collections/);
    expect(() => new SGD([1, 2] as unknown as Tensor[], { lr: 0.1 })).toThrow(/param group must be an object/);
    expect(() => new SGD([{ params: [leaf([1]), 3] }] as unknown as ParamsInput<{ lr: number }>, { lr: 0.1 })).toThrow(
      /can only optimize Tensors/,
    );
    expect(() => new SGD(42 as unknown as Tensor[], { lr: 0.1 })).toThrow(/should be an iterable/);
  });

  it('rejects a parameter in two groups, and duplicates within a group', () => {
    const x = leaf([1]);
    expect(() => new SGD([{ params: [x] }, { params: [x] }], { lr: 0.1 })).toThrow('some parameters appear in more than one parameter group');
    expect(() => new SGD([x, x], { lr: 0.1 })).toThrow(/duplicate parameters/);
    const opt = new SGD([x], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [x] })).toThrow('some parameters appear in more than one parameter group');
    expect(opt.paramGroups.length).toBe(1);
  });

  it("rejects a non-leaf tensor (can't optimize a non-leaf Tensor) and integer tensors", () => {
    const x = leaf([1]);
    const y = mul(x, 2);
    y.setGradFn({ name: 'MulBackward' });
    expect(() => new SGD([y], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor");
    const i = tensor([1, 2], { engine, dtype: 'int32' });
    expect(() => new SGD([i], { lr: 0.1 })).toThrow(/floating point/);
  });

  it('validates group overrides too, and addParamGroup fills defaults', () => {
    const x = leaf([1]);
    expect(() => new SGD([{ params: [x], lr: -2 }], { lr: 0.1 })).toThrow('Invalid learning rate: -2');
    const opt = new SGD([x], { lr: 0.1, momentum: 0.9 });
    const z = leaf([3]);
    opt.addParamGroup({ params: [z], lr: 0.01 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, momentum: 0.9, params: [z] });
    expect(() => opt.addParamGroup({ params: [leaf([4])], momentum: -1 })).toThrow('Invalid momentum value: -1');
    expect(opt.paramGroups.length).toBe(2);
  });
});

describe('step, zeroGrad, hooks', () => {
  it('skips parameters whose grad is null: no state, no update', () => {
    const x = leaf([1, 2]);
    const y = leaf([3]);
    const opt = new SGD([x, y], { lr: 0.5, momentum: 0.9 });
    x.grad = mk(engine, [2, 4], [2], 'float32');
    opt.step();
    expect(vals(x)).toEqual([0, 0]);
    expect(vals(y)).toEqual([3]);
    expect(opt.state.has(x)).toBe(true);
    expect(opt.state.has(y)).toBe(false);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
  });

  it('keeps parameter identity and returns the closure loss; counts steps', () => {
    const x = leaf([1]);
    const opt = new SGD([x], { lr: 0.1 });
    let calls = 0;
    const loss = opt.step(() => {
      calls++;
      x.grad = mk(engine, [6], [1], 'float32');
      return 11;
    });
    expect(loss).toBe(11);
    expect(calls).toBe(1);
    expect(opt.paramGroups[0]!.params[0]).toBe(x);
    expect(vals(x)[0]).toBeCloseTo(0.4, 6);
    expect(opt.step()).toBeUndefined();
    expect(opt.stepCount).toBe(2);
  });

  it('zeroGrad sets grads to null (default) or fills zeros keeping the tensor', () => {
    const x = leaf([1, 2]);
    const opt = new SGD([x], { lr: 0.1 });
    const g = mk(engine, [5, 6], [2], 'float32');
    x.grad = g;
    opt.zeroGrad({ setToNone: false });
    expect(x.grad).toBe(g);
    expect(vals(g)).toEqual([0, 0]);
    opt.zeroGrad();
    expect(x.grad).toBeNull();
    expect(g.isDisposed).toBe(true);
    opt.zeroGrad();
  });

  it('runs pre and post hooks in order, with the loss, and removes them', () => {
    const x = leaf([1]);
    const opt = new SGD([x], { lr: 0.1 });
    const log: string[] = [];
    const h1 = opt.registerStepPreHook((o) => log.push(`pre ${o.stepCount}`));
    const h2 = opt.registerStepPostHook((o, loss) => log.push(`post ${o.stepCount} ${String(loss)}`));
    opt.step(() => 3);
    h1.remove();
    h1.remove();
    opt.step();
    h2.remove();
    opt.step();
    expect(log).toEqual(['pre 0', 'post 1 3', 'post 2 undefined']);
  });

  it('a custom subclass only needs updateGroup (and may drive the closure itself via performStep)', () => {
    class SignSGD extends Optimizer<{ lr: number }> {
      constructor(params: ParamsInput<{ lr: number }>, lr: number) {
        super(params, { lr });
      }
      protected override updateGroup(group: ParamGroup<{ lr: number }>): void {
        for (const p of this.paramsWithGrad(group)) {
          const s = this.stateOf(p);
          s['step'] = ((s['step'] as number | undefined) ?? 0) + 1;
          p.engine.tidy(() => {
            p.assignData(p.detach().sub(p.grad!.detach().sign().mul(group.lr)));
          });
        }
      }
    }
    const x = leaf([1, -1]);
    const opt = new SignSGD([x], 0.25);
    x.grad = mk(engine, [3, -0.1], [2], 'float32');
    opt.step();
    expect(vals(x)).toEqual([0.75, -0.75]);
    expect(opt.stateDict().state[0]).toEqual({ step: 1 });

    class ClosureOnly extends Optimizer<{ lr: number }> {
      evaluations = 0;
      constructor(params: ParamsInput<{ lr: number }>) {
        super(params, { lr: 1 });
      }
      protected override performStep(closure?: () => number | Tensor): number | Tensor | undefined {
        if (closure === undefined) throw new Error('ClosureOnly requires a closure');
        let first: number | Tensor | undefined;
        for (let i = 0; i < 3; i++) {
          const l = closure();
          first ??= l;
          this.evaluations++;
        }
        return first;
      }
    }
    const c = new ClosureOnly([leaf([1])]);
    expect(() => c.step()).toThrow('requires a closure');
    expect(c.stepCount).toBe(0);
    let n = 10;
    expect(c.step(() => n--)).toBe(10);
    expect(c.evaluations).toBe(3);
    expect(c.stepCount).toBe(1);

    class Nothing extends Optimizer<{ lr: number }> {}
    const bad = new Nothing([leaf([1])], { lr: 1 });
    expect(() => bad.step()).toThrow(/must override updateGroup\(\) or performStep\(\)/);
  });
});
