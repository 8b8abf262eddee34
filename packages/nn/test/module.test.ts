import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad } from '@backstep/autograd';
import { ones, tensor, zeros, type Tensor } from '@backstep/tensor';
import {
  Dropout, Identity, Linear, Module, ModuleDict, ModuleList, Parameter, ParameterList, ReLU, Sequential,
} from '../src/index.js';
import { setup, values } from './setup.js';

beforeAll(setup);

class Net extends Module<[Tensor], Tensor> {
  lin1 = new Linear(3, 4);
  act = new ReLU();
  lin2: Linear;
  scale: Parameter;
  params = new ParameterList([zeros([2]), zeros([3])]);

  constructor() {
    super();
    this.lin2 = new Linear(4, 2, { bias: false });
    this.scale = new Parameter(ones([1]));
    this.registerBuffer('steps', zeros([1]));
    this.registerBuffer('scratch', zeros([2]), { persistent: false });
  }

  forward(x: Tensor): Tensor {
    return this.lin2.call(this.act.call(this.lin1.call(x))).mul(this.scale);
  }
}

describe('Module registration', () => {
  it('registers parameters, buffers and submodules by property name in assignment order', () => {
    const net = new Net();
    // class field initialisers run before the constructor body, so `params` is assigned before `lin2`
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'scale', 'lin1.weight', 'lin1.bias', 'params.0', 'params.1', 'lin2.weight',
    ]);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['lin1', 'act', 'params', 'lin2']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'lin1', 'act', 'params', 'lin2']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['steps', 'scratch']);
    expect(net.parameters(false)).toEqual([net.scale]);
    expect(net.lin2.bias).toBeNull();
    expect(net.lin2.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(net.parameters().every((p) => p instanceof Parameter && p.requiresGrad && p.isLeaf)).toBe(true);
    expect(net.getParameter('lin1.bias')).toBe(net.lin1.bias);
    expect(net.getSubmodule('lin2')).toBe(net.lin2);
    expect(() => net.getSubmodule('nope')).toThrow(/no submodule 'nope'/);
  });

  it('re-assigning keeps the position; null empties a slot; plain tensors are rejected for parameter slots', () => {
    const lin = new Linear(2, 3);
    const w = new Parameter(zeros([3, 2]));
    lin.weight = w;
    expect(lin.namedParameters().map(([n, p]) => [n, p])).toEqual([['weight', w], ['bias', lin.bias]]);
    lin.bias = null;
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(() => {
      (lin as unknown as { weight: Tensor }).weight = zeros([3, 2]);
    }).toThrow(/cannot assign 'Tensor' as parameter 'weight'/);
    lin.bias = new Parameter(zeros([3]));
    expect(lin.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(lin.call(ones([1, 2])).shape).toEqual([1, 3]);
  });

  it('explicit register* methods validate names and clashes; delete unregisters', () => {
    class M extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new M();
    m.registerParameter('a', new Parameter(zeros([1])));
    m.registerModule('child', new Identity());
    m.registerBuffer('b', zeros([1]));
    expect(() => m.registerParameter('x.y', null)).toThrow(/can't contain "\."/);
    expect(() => m.registerParameter('', null)).toThrow(/empty/);
    expect(() => m.registerParameter('forward', null)).toThrow(/already exists/);
    expect(() => m.registerBuffer('a', zeros([1]))).toThrow(/already exists/);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['a']);
    delete (m as unknown as Record<string, unknown>).a;
    expect(m.parameters()).toEqual([]);
    expect(m.children().length).toBe(1);
    // a Parameter assigned to a buffer's name turns it into a parameter (PyTorch semantics)
    (m as unknown as Record<string, unknown>).b = new Parameter(zeros([1]));
    expect(m.namedBuffers()).toEqual([]);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['b']);
  });

  it('reports shared parameters and modules once', () => {
    const shared = new Linear(2, 2);
    const seq = new Sequential(shared, new ReLU(), shared);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias']);
    expect(seq.modules().length).toBe(3);
    expect(seq.namedParameters({ removeDuplicate: false }).map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });
});

describe('containers', () => {
  it('Sequential chains children named 0, 1, ... and supports named construction', () => {
    const l1 = new Linear(2, 3);
    const l2 = new Linear(3, 1);
    const seq = new Sequential(l1, new ReLU(), l2);
    expect(seq.length).toBe(3);
    expect(seq.get(0)).toBe(l1);
    expect(seq.get(-1)).toBe(l2);
    expect(() => seq.get(3)).toThrow(RangeError);
    expect([...seq].length).toBe(3);
    const x = tensor([[1, -2]]);
    const manual = l2.forward(l1.forward(x).relu());
    expect(values(seq.call(x))).toEqual(values(manual));
    const named = new Sequential({ fc: l1, act: new ReLU() });
    expect(named.namedParameters().map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
    seq.append(new Identity());
    expect(seq.length).toBe(4);
  });

  it('ModuleList and ModuleDict register their items', () => {
    class Stack extends Module<[Tensor], Tensor> {
      layers = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
      heads = new ModuleDict({ a: new Linear(2, 1), b: new Linear(2, 1, { bias: false }) });
      forward(x: Tensor): Tensor {
        for (const l of this.layers) x = l.call(x);
        return this.heads.get('a').call(x);
      }
    }
    const s = new Stack();
    expect(s.namedParameters().map(([n]) => n)).toEqual([
      'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'heads.a.weight', 'heads.a.bias', 'heads.b.weight',
    ]);
    expect(s.call(ones([1, 2])).shape).toEqual([1, 1]);
    s.layers.insert(0, new Linear(2, 2, { bias: false }));
    expect(s.layers.length).toBe(3);
    expect(s.layers.namedParameters().map(([n]) => n)).toEqual(['0.weight', '1.weight', '1.bias', '2.weight', '2.bias']);
    const popped = s.layers.pop(0);
    expect(popped.bias).toBeNull();
    expect(s.layers.length).toBe(2);
    expect(s.heads.keys()).toEqual(['a', 'b']);
    s.heads.delete('a');
    expect(s.heads.has('a')).toBe(false);
    expect(() => s.layers.forward()).toThrow(/no forward/);
  });

  it('ParameterList is indexable and iterable, wrapping tensors as Parameters', () => {
    const pl = new ParameterList([zeros([2]), new Parameter(ones([3]))]);
    expect(pl.length).toBe(2);
    expect(pl.get(0)).toBeInstanceOf(Parameter);
    expect(pl.get(-1).shape).toEqual([3]);
    expect([...pl].map((p) => p.shape)).toEqual([[2], [3]]);
    pl.append(zeros([4]));
    expect(pl.namedParameters().map(([n]) => n)).toEqual(['0', '1', '2']);
  });
});

describe('modes, gradients, apply, hooks, to', () => {
  it('train()/eval() set training recursively', () => {
    const net = new Sequential(new Linear(2, 2), new Dropout(0.5));
    expect(net.training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.get(1).training).toBe(true);
  });

  it('zeroGrad clears (setToNone) or zeroes gradients; requiresGrad_ toggles them', () => {
    const lin = new Linear(2, 1);
    lin.call(ones([1, 2])).sum().backward();
    expect(lin.weight.grad).not.toBeNull();
    lin.zeroGrad({ setToNone: false });
    expect(values(lin.weight.grad)).toEqual([0, 0]);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
    lin.requiresGrad_(false);
    expect(lin.parameters().every((p) => !p.requiresGrad)).toBe(true);
  });

  it('apply visits children first; call runs hooks', () => {
    const seq = new Sequential(new Linear(1, 1), new ReLU());
    const seen: string[] = [];
    seq.apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['Linear', 'ReLU', 'Sequential']);
    const relu = seq.get(1);
    const h = relu.registerForwardHook((_m, _in, out) => (out as Tensor).add(10));
    const pre = relu.registerForwardPreHook((_m, inputs) => [(inputs[0] as Tensor).neg()]);
    expect(values(relu.call(tensor([-2, 3])))).toEqual([12, 10]);
    expect(values(relu.forward(tensor([-2, 3])))).toEqual([0, 3]);
    h.remove();
    pre.remove();
    expect(values(relu.call(tensor([-2, 3])))).toEqual([0, 3]);
  });

  it('to(dtype) replaces changed parameters under the same names and keeps unchanged ones', () => {
    const lin = new Linear(2, 2);
    const before = values(lin.weight);
    const w32 = lin.weight;
    lin.to('float32');
    expect(lin.weight).toBe(w32);
    lin.call(ones([1, 2])).sum().backward();
    const g32 = values(lin.weight.grad);
    lin.to('float64');
    expect(lin.weight).not.toBe(w32);
    expect(lin.weight.grad!.dtype).toBe('float64');
    expect(values(lin.weight.grad)).toEqual(g32);
    expect(lin.weight.requiresGrad).toBe(true);
    expect(lin.weight).toBeInstanceOf(Parameter);
    expect(lin.weight.dtype).toBe('float64');
    expect(lin.namedParameters().map(([n, p]) => [n, p.dtype])).toEqual([['weight', 'float64'], ['bias', 'float64']]);
    expect(values(lin.weight)).toEqual(before);
    expect(lin.call(ones([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(() => lin.to('int32')).toThrow(/floating point/);
    expect(() => lin.to('nope-backend')).toThrow(/not registered/);
  });

  it('toString renders the tree', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU());
    expect(seq.toString()).toBe('Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)');
  });

  it('parameters stay alive outside tidy and updates keep identity', () => {
    const lin = new Linear(2, 2);
    const w = lin.weight;
    noGrad(() => w.sub_(w.grad ?? zeros([2, 2])));
    expect(lin.weight).toBe(w);
    expect(w.isDisposed).toBe(false);
  });
});

describe('subclassing details', () => {
  it('supports #private fields, class-field declarations and optional null parameters', () => {
    class Counter extends Module<[Tensor], Tensor> {
      #calls = 0;
      declare extra: Parameter | null;
      head: Linear;
      constructor(withExtra: boolean) {
        super();
        this.head = new Linear(2, 2);
        this.registerParameter('extra', withExtra ? new Parameter(ones([2])) : null);
      }
      forward(x: Tensor): Tensor {
        this.#calls++;
        const y = this.head.call(x);
        return this.extra === null ? y : y.mul(this.extra);
      }
      get calls(): number {
        return this.#calls;
      }
    }
    const a = new Counter(false);
    a.call(ones([1, 2]));
    a.call(ones([1, 2]));
    expect(a.calls).toBe(2);
    expect(a.namedParameters().map(([n]) => n)).toEqual(['head.weight', 'head.bias']);
    const b = new Counter(true);
    // a module's own parameters come before its children's, as in PyTorch
    expect(b.namedParameters().map(([n]) => n)).toEqual(['extra', 'head.weight', 'head.bias']);
    expect(b instanceof Counter && b instanceof Module).toBe(true);
  });
});
