/**
 * backward-and-step (seed 001): what `backward()` writes, what `step()` reads.
 * Run: `pnpm --filter @backstep/examples run backward-and-step`.
 */
import { fmt } from '../shared/bits.js';
import { accumulation, detachCutsGraph, linear100, polynomial, stepReadsGrad } from './backward-and-step.js';

const show = (v: number[] | null) => (v === null ? 'null' : fmt(v));

const p = polynomial(3, 0.1);
console.log('z = 3x² + y³ at x = 1, y = 2; optimizer = SGD([x, y], { lr: 0.1 })');
console.log(`  before backward: x.grad = ${show(p.gradsBefore[0]!)}, y.grad = ${show(p.gradsBefore[1]!)}, z.grad = ${show(p.gradsBefore[2]!)}   (z.gradFn = ${p.zGradFn})`);
const s0 = p.steps[0]!;
console.log(`  z.backward():    x.grad = ${s0.gradX}, y.grad = ${s0.gradY}, z.grad = ${show(p.zGradAfter)} (z is not a leaf)`);
console.log(`  optimizer.step(): x = ${s0.xAfter.toFixed(4)}, y = ${s0.yAfter.toFixed(4)}   (x - 0.1*6, y - 0.1*12)`);
p.steps.slice(1).forEach((s, i) => console.log(`  step ${i + 2}: z = ${s.z.toFixed(4)}, grads (${s.gradX.toFixed(4)}, ${s.gradY.toFixed(4)}) -> x = ${s.xAfter.toFixed(4)}, y = ${s.yAfter.toFixed(4)}`));

const l = linear100();
console.log('');
console.log('x = [1, 2], y = 100 * x, loss = y.sum(); optimizer = SGD([x], { lr: 0.001 })');
console.log(`  x.grad before backward: ${show(l.gradBefore)}; after: ${fmt(l.grad, 1)}`);
console.log(`  x: ${fmt(l.xBefore, 4)} -> ${fmt(l.xAfter, 4)}   (x - lr * x.grad)`);

const a = accumulation();
console.log('');
console.log('forgetting zeroGrad(): backward() ADDS into .grad');
console.log(`  .grad after 1, 2, 3 backward() calls: ${a.gradAfterEachBackward.map((g) => fmt(g, 0)).join(', ')}`);
console.log(`  one step with the accumulated gradient: x = ${fmt(a.xAfterAccumulated)}; after optimizer.zeroGrad(): .grad = ${show(a.gradAfterZeroGrad)}`);
console.log(`  3 iterations with zeroGrad:    x = ${a.xWithZeroGrad.map((v) => fmt(v)).join(' -> ')}`);
console.log(`  3 iterations without zeroGrad: x = ${a.xWithoutZeroGrad.map((v) => fmt(v)).join(' -> ')}`);

const r = stepReadsGrad();
console.log('');
console.log('step() only reads .grad: x.grad = [5, -5] assigned by hand, SGD lr 0.1');
console.log(`  x: ${fmt(r.xBefore)} -> ${fmt(r.xAfter)}`);

const d = detachCutsGraph();
console.log('');
console.log('pred.clone().detach() cuts the graph:');
console.log(`  loss.requiresGrad: attached ${d.attachedRequiresGrad}, detached ${d.detachedRequiresGrad}`);
console.log(`  detached loss.backward() throws: "${d.backwardError}"`);
console.log(`  model grads: ${d.gradsAfter.map(show).join(', ')}; weights unchanged by step(): ${d.weightsUnchanged}`);
console.log(`  (with the attached loss the same step changes them: ${d.weightsChangedWhenAttached})`);
