import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad } from '@backstep/autograd';
import { ones, tensor, zeros, type Tensor } from '@backstep/tensor';
import { Linear, Module, Parameter, ReLU, Sequential } from '../src/index.js';
import { setup, values } from './setup.js';

beforeAll(setup);

class WithBuffers extends Module<[Tensor], Tensor> {
  fc = new Linear(2, 2);
  declare runningMean: Tensor;
  constructor() {
    super();
    this.registerBuffer('runningMean', zeros([2]));
    this.registerBuffer('cache', zeros([2]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return this.fc.call(x).add(this.runningMean);
  }
}

function snapshot(m: Module): Record<string, number[]> {
  return Object.fromEntries(m.namedStateTensors().map(([k, t]) => [k, values(t)]));
}

describe('stateDict / loadStateDict', () => {
  it('round-trips between two models and keeps parameter identity', () => {
    const a = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    const b = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const w = (b.get(0) as Linear).weight;
    expect(b.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect((b.get(0) as Linear).weight).toBe(w);
    const x = tensor([[0.5, -1, 2]]);
    expect(values(b.call(x))).toEqual(values(a.call(x)));
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('returns detached copies that later training cannot change', () => {
    const lin = new Linear(2, 2);
    const sd = lin.stateDict();
    const saved = values(sd.weight);
    expect(sd.weight).not.toBeInstanceOf(Parameter);
    expect(sd.weight!.requiresGrad).toBe(false);
    expect(sd.weight).not.toBe(lin.weight); // a snapshot sharing the buffer copy-on-write
    noGrad(() => lin.weight.add_(1));
    expect(values(sd.weight)).toEqual(saved);
    // and loading copies too: changing the source afterwards does not touch the module
    const src = { weight: tensor([[1, 2], [3, 4]]), bias: tensor([5, 6]) };
    lin.loadStateDict(src);
    noGrad(() => src.weight.add_(100));
    expect(values(lin.weight)).toEqual([1, 2, 3, 4]);
  });

  it('includes persistent buffers only', () => {
    const m = new WithBuffers();
    expect(Object.keys(m.stateDict())).toEqual(['runningMean', 'fc.weight', 'fc.bias']);
    const sd = m.stateDict();
    sd.runningMean = tensor([1, 2]);
    m.loadStateDict(sd);
    expect(values(m.runningMean)).toEqual([1, 2]);
  });

  it('accepts {shape, data} objects (nested or flat) and Maps', () => {
    const lin = new Linear(2, 1);
    lin.loadStateDict({ weight: { shape: [1, 2], data: [[0.5, -0.25]] }, bias: { shape: [1], data: [2] } });
    expect(values(lin.weight)).toEqual([0.5, -0.25]);
    lin.loadStateDict(new Map([['weight', { shape: [1, 2], data: [1, 2] }], ['bias', { shape: [1], data: [3] }]]));
    expect(values(lin.call(ones([1, 2])))).toEqual([6]);
  });

  it('strict: missing and unexpected keys throw, naming them, and nothing changes', () => {
    const lin = new Linear(2, 2);
    const before = snapshot(lin);
    const sd = lin.stateDict();
    const { bias: _bias, ...noBias } = sd;
    void _bias;
    expect(() => lin.loadStateDict({ ...noBias, weight: zeros([2, 2]) })).toThrow(/Missing key\(s\) in state_dict: "bias"/);
    expect(() => lin.loadStateDict({ weight: zeros([2, 2]), bias: zeros([2]), extra: zeros([1]) })).toThrow(
      /Unexpected key\(s\) in state_dict: "extra"/,
    );
    expect(snapshot(lin)).toEqual(before);
  });

  it('shape mismatch names the key and both shapes, even with strict false, leaving the module unchanged', () => {
    const lin = new Linear(2, 3);
    const before = snapshot(lin);
    // weight is valid, bias is not: the valid weight must not be copied either
    const bad = { weight: ones([3, 2]), bias: ones([2]) };
    expect(() => lin.loadStateDict(bad)).toThrow(
      'size mismatch for bias: copying a param with shape [2] from checkpoint, the shape in current model is [3].',
    );
    expect(() => lin.loadStateDict(bad, { strict: false })).toThrow(/size mismatch for bias/);
    expect(() => lin.loadStateDict({ weight: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, bias: zeros([3]) })).toThrow(
      /size mismatch for weight: copying a param with shape \[2, 3\] from checkpoint, the shape in current model is \[3, 2\]/,
    );
    expect(() => lin.loadStateDict({ weight: { shape: [3, 2], data: [1, 2, 3] }, bias: zeros([3]) })).toThrow(/3 elements/);
    expect(snapshot(lin)).toEqual(before);
  });

  it('dtype mismatch is an error; non-tensor values are rejected', () => {
    const lin = new Linear(2, 1);
    const before = snapshot(lin);
    expect(() => lin.loadStateDict({ weight: zeros([1, 2], { dtype: 'float64' }), bias: zeros([1]) })).toThrow(
      /dtype mismatch for weight: .*float64.*float32/,
    );
    expect(() => lin.loadStateDict({ weight: [1, 2] as unknown as Tensor, bias: zeros([1]) })).toThrow(/must be a Tensor or a \{shape, data\}/);
    expect(snapshot(lin)).toEqual(before);
  });

  it('strict false loads what matches and reports missing/unexpected keys', () => {
    const lin = new Linear(2, 1);
    const bias = values(lin.bias);
    const res = lin.loadStateDict({ weight: tensor([[7, 8]]), other: zeros([1]) }, { strict: false });
    expect(res).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['other'] });
    expect(values(lin.weight)).toEqual([7, 8]);
    expect(values(lin.bias)).toEqual(bias);
  });
});
