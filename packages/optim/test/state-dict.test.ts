/** State dicts: layout, deep copies, validation on load (changing nothing when invalid), PyTorch layout. */
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@backstep/tensor';
import { camelToSnake, fromPyTorchStateDict, SGD, snakeToCamel, toPyTorchStateDict, type OptimizerStateDict } from '../src/index.js';
import { flatData, loadGolden } from '../../../tools/testing/golden.js';
import type { TrajectoryCase } from '../../../tools/testing/golden-optim.js';
import { makeEngine, mk, vals } from './helpers.js';

const engine = makeEngine(false);

function trained(momentum = 0.9): { opt: SGD; x: Tensor; y: Tensor } {
  const x = mk(engine, [1, 2, 3], [3], 'float32', true);
  const y = mk(engine, [[1, 2], [3, 4]], [2, 2], 'float32', true);
  const opt = new SGD([{ params: [x] }, { params: [y], lr: 0.5 }], { lr: 0.25, momentum });
  x.grad = mk(engine, [1, 1, 1], [3], 'float32');
  y.grad = mk(engine, [[2, 2], [2, 2]], [2, 2], 'float32');
  opt.step();
  return { opt, x, y };
}

describe('stateDict', () => {
  it('has the versioned camelCase layout with param indices', () => {
    const { opt } = trained();
    const sd = opt.stateDict();
    expect(sd.version).toBe(1);
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(vals(sd.state[0]!['momentumBuffer'] as Tensor)).toEqual([1, 1, 1]);
    expect(vals(sd.state[1]!['momentumBuffer'] as Tensor)).toEqual([2, 2, 2, 2]);
    expect(sd.paramGroups).toEqual([
      { lr: 0.25, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [0] },
      { lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [1] },
    ]);
  });

  it('never aliases live state: later steps (composed or fused, in place) and group edits do not change it', () => {
    for (const e of [engine, makeEngine(true)]) {
      const x = mk(e, [1, 2, 3], [3], 'float32', true);
      const opt = new SGD([x], { lr: 0.25, momentum: 0.9 });
      x.grad = mk(e, [1, 1, 1], [3], 'float32');
      opt.step();
      const sd = opt.stateDict();
      const buf = sd.state[0]!['momentumBuffer'] as Tensor;
      expect(buf).not.toBe(opt.state.get(x)!['momentumBuffer']);
      x.grad = mk(e, [4, 4, 4], [3], 'float32');
      opt.step();
      opt.paramGroups[0]!.lr = 99;
      expect(vals(buf)).toEqual([1, 1, 1]);
      expect(vals(opt.state.get(x)!['momentumBuffer'] as Tensor)).toEqual([4.9, 4.9, 4.9].map(Math.fround));
      expect(sd.paramGroups[0]!['lr']).toBe(0.25);
      // disposing the saved dict leaves the live state intact
      buf.dispose();
      expect(vals(opt.state.get(x)!['momentumBuffer'] as Tensor)).toEqual([4.9, 4.9, 4.9].map(Math.fround));
    }
  });
});

describe('loadStateDict validation', () => {
  const cases: Array<[string, (sd: OptimizerStateDict) => unknown, RegExp]> = [
    ['group count', (sd) => ({ ...sd, paramGroups: sd.paramGroups.slice(0, 1) }), /different number of parameter groups \(1\) than the optimizer \(2\)/],
    ['group size', (sd) => ({ ...sd, paramGroups: [sd.paramGroups[0], { ...sd.paramGroups[1], params: [1, 2] }] }), /parameter group \(1\) of size 2 that doesn't match the size of optimizer's group \(1\)/],
    ['shape', (sd) => ({ ...sd, state: { ...sd.state, 1: { momentumBuffer: tensor([1, 2, 3, 4], { engine }) } } }), /state 'momentumBuffer' of parameter 1 has shape \[4\] but the parameter has shape \[2, 2\]/],
    ['dtype', (sd) => ({ ...sd, state: { ...sd.state, 0: { momentumBuffer: tensor([1, 2, 3], { engine, dtype: 'float64' }) } } }), /state 'momentumBuffer' of parameter 0 has dtype float64 but the parameter has dtype float32/],
    ['not a tensor', (sd) => ({ ...sd, state: { ...sd.state, 0: { momentumBuffer: [1, 2, 3] } } }), /state 'momentumBuffer' of parameter 0 must be a tensor, got a list/],
    ['missing entry', (sd) => ({ ...sd, state: { ...sd.state, 1: { step: 3 } } }), /state of parameter 1 is missing 'momentumBuffer'/],
    ['unknown entry (strict)', (sd) => ({ ...sd, state: { ...sd.state, 1: { ...sd.state[1], expAvg: 1 } } }), /unexpected state 'expAvg' of parameter 1/],
    ['unknown parameter', (sd) => ({ ...sd, state: { ...sd.state, 7: { momentumBuffer: null } } }), /state refers to parameter 7, which is in no parameter group/],
    ['bad hyperparameter', (sd) => ({ ...sd, paramGroups: [sd.paramGroups[0], { ...sd.paramGroups[1], lr: -1 }] }), /parameter group 1: Invalid learning rate: -1/],
    ['version', (sd) => ({ ...sd, version: 2 }), /unsupported state dict version 2/],
    ['not an object', () => 'nope', /expected a state dict object/],
    ['PyTorch layout', (sd) => toPyTorchStateDict(sd), /looks like a PyTorch state dict.*fromPyTorchStateDict/],
    ['repeated index', (sd) => ({ ...sd, paramGroups: [sd.paramGroups[0], { ...sd.paramGroups[1], params: [0] }] }), /parameter index 0 appears more than once/],
  ];

  it.each(cases)('rejects a bad %s with a clear error and changes nothing', (_, mutate, message) => {
    const { opt, x, y } = trained();
    const good = opt.stateDict();
    const before = JSON.stringify({ g: opt.paramGroups.map((g) => ({ ...g, params: g.params.map((p) => p.id) })) });
    const bufX = opt.state.get(x)!['momentumBuffer'] as Tensor;
    const bufY = opt.state.get(y)!['momentumBuffer'] as Tensor;
    expect(() => opt.loadStateDict(mutate(good) as OptimizerStateDict)).toThrow(message);
    expect(JSON.stringify({ g: opt.paramGroups.map((g) => ({ ...g, params: g.params.map((p) => p.id) })) })).toBe(before);
    expect(opt.state.get(x)!['momentumBuffer']).toBe(bufX);
    expect(opt.state.get(y)!['momentumBuffer']).toBe(bufY);
    expect(bufX.isDisposed || bufY.isDisposed).toBe(false);
    expect(vals(bufY)).toEqual([2, 2, 2, 2]);
  });

  it('strict: false keeps unknown entries; hyperparameters are restored; tensors are copied', () => {
    const { opt, x } = trained();
    const sd = opt.stateDict();
    sd.state[0]!['note'] = 'hello';
    sd.paramGroups[0]!['lr'] = 0.125;
    const fresh = trained().opt;
    fresh.loadStateDict(sd, { strict: false });
    const xf = fresh.paramGroups[0]!.params[0]!;
    expect(fresh.state.get(xf)!['note']).toBe('hello');
    expect(fresh.paramGroups[0]!.lr).toBe(0.125);
    expect(fresh.state.get(xf)!['momentumBuffer']).not.toBe(sd.state[0]!['momentumBuffer']);
    (sd.state[0]!['momentumBuffer'] as Tensor).dispose();
    expect(vals(fresh.state.get(xf)!['momentumBuffer'] as Tensor)).toEqual([1, 1, 1]);
    expect(vals(opt.state.get(x)!['momentumBuffer'] as Tensor)).toEqual([1, 1, 1]); // the source optimizer keeps its own state
  });
});

describe('PyTorch layout', () => {
  it('converts keys between camelCase and snake_case', () => {
    const pairs = [['expAvgSq', 'exp_avg_sq'], ['maxExpAvgSq', 'max_exp_avg_sq'], ['weightDecay', 'weight_decay'], ['initialLr', 'initial_lr'],
      ['lr', 'lr'], ['t0', 't0'], ['HDiag', 'H_diag'], ['oldDirs', 'old_dirs'], ['initialAccumulatorValue', 'initial_accumulator_value']];
    for (const [camel, snake] of pairs) {
      expect(camelToSnake(camel!)).toBe(snake);
      expect(snakeToCamel(snake!)).toBe(camel);
    }
  });

  it('toPyTorchStateDict writes state and param_groups with snake_case keys', () => {
    const { opt } = trained();
    const pt = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' });
    expect(pt.state['0']).toEqual({ momentum_buffer: { shape: [3], data: [1, 1, 1] } });
    expect(pt.param_groups[1]).toEqual({ lr: 0.5, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, params: [1] });
    const withTensors = toPyTorchStateDict(opt.stateDict());
    expect(withTensors.state['1']!['momentum_buffer']).toBeInstanceOf(Tensor);
  });

  it('loads a PyTorch state dict (golden sgd_momentum) and writes it back unchanged', () => {
    const c = loadGolden<TrajectoryCase>('optim/sgd_momentum.json');
    for (const dtype of ['float32', 'float64'] as const) {
      const params = c.initialParams.map((d, i) => mk(engine, d, c.paramShapes[i]!, dtype, true));
      const opt = new SGD(params, { lr: 1 });
      opt.loadStateDict(fromPyTorchStateDict(c[dtype].stateDict as never, { dtype, engine }));
      expect(opt.paramGroups[0]).toMatchObject({ lr: c.options['lr'], momentum: c.options['momentum'] });
      expect(opt.paramGroups[0]).not.toHaveProperty('foreach');
      const back = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' });
      for (const [id, entry] of Object.entries(c[dtype].stateDict.state)) {
        const mine = back.state[id]!['momentum_buffer'] as { shape: number[]; data: unknown };
        const golden = entry['momentum_buffer'] as { shape: number[]; data: unknown };
        expect(mine.shape).toEqual(golden.shape);
        expect(flatData(mine.data)).toEqual(flatData(golden.data).map((v) => (dtype === 'float32' ? Math.fround(v) : v)));
      }
    }
  });

  it('fromPyTorchStateDict accepts nested arrays, 0-d values as numbers, non-finite strings; rejects garbage', () => {
    const sd = fromPyTorchStateDict(
      { state: { 0: { exp_avg: [[1, 2]], step: { shape: [], data: 3 }, prev_loss: 'Infinity', old_dirs: [] } }, param_groups: [{ lr: 1, foreach: null, params: [0] }] },
      { engine, dtype: 'float64' },
    );
    const e = sd.state[0]!;
    expect((e['expAvg'] as Tensor).shape).toEqual([1, 2]);
    expect((e['expAvg'] as Tensor).dtype).toBe('float64');
    expect(e['step']).toBe(3);
    expect(e['prevLoss']).toBe(Infinity);
    expect(e['oldDirs']).toEqual([]);
    expect(sd.paramGroups).toEqual([{ lr: 1, params: [0] }]);
    expect(() => fromPyTorchStateDict({} as never)).toThrow(/expected \{ state/);
  });
});
