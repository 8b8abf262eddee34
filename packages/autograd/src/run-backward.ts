import { add, cast, fmtShape, shapesEqual, Tensor } from '@backstep/tensor';
import { FREED_GRAPH_MESSAGE, GradFn, vertexOf, type Vertex } from './grad-fn.js';
import { isGradEnabled, setGradEnabled } from './grad-mode.js';

/** How a backward pass runs (shared by `tensor.backward()` and `grad()`). */
export interface RunBackwardOptions {
  /** The tensors to differentiate. */
  outputs: readonly Tensor[];
  /** Per output: its gradient, or undefined/null for an implicit 1 (one-element outputs only). */
  gradOutputs: readonly (Tensor | null | undefined)[];
  /** Keep saved tensors so the graph can be used again. */
  retainGraph: boolean;
  /** Record the backward pass itself (higher-order gradients). */
  createGraph: boolean;
  /** For `grad()`: the tensors whose gradients are returned; `.grad` is left alone. */
  inputs?: readonly Tensor[];
}

/** Gradients installed by autograd (so a replaced one can be disposed safely). */
const installedGrads = new WeakSet<Tensor>();

/** A new handle of `t` (sharing its buffer; recorded as a view when createGraph is on). */
function alias(t: Tensor): Tensor {
  return t.engine.run('reshape', [t], { shape: t.shape });
}

function checkedGradOutput(out: Tensor, g: Tensor | null | undefined, i: number): Tensor {
  if (g === null || g === undefined) {
    if (out.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
    return out.engine.run('fill', [], { shape: out.shape, dtype: out.dtype, value: 1 }, out.backendName);
  }
  if (!(g instanceof Tensor)) throw new TypeError(`backward: gradient ${i} must be a Tensor`);
  g.assertLive('backward');
  if (!shapesEqual(g.shape, out.shape)) {
    throw new Error(`Mismatch in shape: grad_output[${i}] has a shape of ${fmtShape(g.shape)} and output[${i}] has a shape of ${fmtShape(out.shape)}.`);
  }
  return g.dtype === out.dtype ? alias(g) : cast(g, out.dtype);
}

/** Vertices in an order where every vertex comes after all vertices that send it gradient. */
function topologicalOrder(roots: readonly Vertex[]): Vertex[] {
  const visited = new Set<Vertex>();
  const post: Vertex[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    const stack: [Vertex, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [Vertex, number];
      const v = top[0];
      const edges = v instanceof GradFn ? v.nextEdges : [];
      if (top[1] < edges.length) {
        const w = edges[top[1]++];
        if (w !== null && w !== undefined && !visited.has(w)) {
          visited.add(w);
          stack.push([w, 0]);
        }
      } else {
        stack.pop();
        post.push(v);
      }
    }
  }
  return post.reverse();
}

/** Runs a tensor's hooks on its gradient; a hook's returned tensor replaces it. */
function runHooks(t: Tensor, g: Tensor): Tensor {
  if (t.hooks.length === 0) return g;
  for (const hook of [...t.hooks]) {
    const r = hook(alias(g));
    if (r === undefined || r === null) continue;
    if (!(r instanceof Tensor)) throw new TypeError('backward: a tensor hook must return a Tensor or nothing');
    if (!shapesEqual(r.shape, g.shape)) {
      throw new Error(`backward: a hook changed the size of the gradient from ${fmtShape(g.shape)} to ${fmtShape(r.shape)}`);
    }
    const next = r.dtype === g.dtype ? alias(r) : cast(r, g.dtype);
    g.dispose();
    g = next;
  }
  return g;
}

/**
 * Accumulates `g` (owned) into `t.grad`: the first gradient is installed as is; later ones are
 * added in place (the `.grad` tensor keeps its identity) or, with createGraph, out of place.
 */
function accumulateInto(t: Tensor, g: Tensor, createGraph: boolean): void {
  const engine = t.engine;
  if (t.isDisposed) {
    g.dispose();
    return;
  }
  if (g.dtype !== t.dtype) {
    const c = cast(g, t.dtype);
    g.dispose();
    g = c;
  }
  const old = t.grad;
  if (old === null || old.isDisposed) {
    t.grad = engine.keep(g);
    installedGrads.add(g);
    return;
  }
  const sum = add(old, g);
  g.dispose();
  if (!createGraph) {
    old.assignData(sum);
    sum.dispose();
    return;
  }
  t.grad = engine.keep(sum);
  installedGrads.add(sum);
  if (installedGrads.has(old)) old.dispose();
}

/** Adds gradient `g` (owned) to the pending gradient of `v`. */
function addPending(pending: Map<Vertex, Tensor>, v: Vertex, g: Tensor): void {
  const prev = pending.get(v);
  if (prev === undefined) {
    pending.set(v, g);
    return;
  }
  const s = add(prev, g);
  prev.dispose();
  g.dispose();
  pending.set(v, s);
}

/** Which vertices must run: those that lead to a leaf to fill (or to a requested input). */
function neededVertices(order: readonly Vertex[], capture: Map<Vertex, number[]> | null): Set<Vertex> {
  const needed = new Set<Vertex>();
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i] as Vertex;
    if (capture !== null && capture.has(v)) needed.add(v);
    else if (v instanceof Tensor) {
      if (capture === null && v.requiresGrad) needed.add(v);
    } else if ((capture === null && v.output.retainsGrad) || v.nextEdges.some((e) => e !== null && needed.has(e))) {
      needed.add(v);
    }
  }
  return needed;
}

/** Calls a node's rule and returns one owned gradient (or null) per input. */
function callRule(node: GradFn, g: Tensor, needs: readonly boolean[]): (Tensor | null)[] {
  const ctx = node.context(needs);
  const raw = g.engine.tidy(() => [...node.rule.backward(g, ctx)]);
  const notOwned = new Set<Tensor>([g, ...node.savedTensors()]);
  const out: (Tensor | null)[] = [];
  for (let i = 0; i < node.nextEdges.length; i++) {
    let r = raw[i] ?? null;
    if (r !== null && !needs[i]) {
      if (!notOwned.has(r)) r.dispose();
      r = null;
    }
    if (r !== null) {
      const shape = node.inputShapes[i] as readonly number[];
      if (!shapesEqual(r.shape, shape)) {
        for (const t of out) t?.dispose();
        throw new Error(`autograd: ${node.name} returned a gradient of shape ${fmtShape(r.shape)} for input ${i} of shape ${fmtShape(shape)}`);
      }
      if (notOwned.has(r)) r = alias(r);
      notOwned.add(r);
      const dtype = node.inputDTypes[i];
      if (dtype !== undefined && r.dtype !== dtype) {
        const c = cast(r, dtype);
        r.dispose();
        r = c;
      }
    }
    out.push(r);
  }
  return out;
}

/**
 * The reverse-mode pass: seeds the outputs' gradients, walks the graph in topological order,
 * runs hooks and gradient rules, and accumulates into leaves (or, for `grad()`, returns the
 * inputs' gradients). Intermediate gradients are disposed as soon as they are consumed.
 */
export function runBackward(opts: RunBackwardOptions): (Tensor | null)[] {
  const { outputs, createGraph, retainGraph } = opts;
  const roots: Vertex[] = outputs.map((o, i) => {
    if (!(o instanceof Tensor)) throw new TypeError(`backward: output ${i} must be a Tensor`);
    o.assertLive('backward');
    const v = vertexOf(o);
    if (v === null) throw new Error(`element ${i} of tensors does not require grad and does not have a gradFn`);
    return v;
  });
  let capture: Map<Vertex, number[]> | null = null;
  if (opts.inputs !== undefined) {
    capture = new Map();
    opts.inputs.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`grad: input ${i} must be a Tensor`);
      const v = vertexOf(t);
      if (v === null) throw new Error('One of the differentiated Tensors does not require grad');
      const list = capture!.get(v) ?? [];
      list.push(i);
      capture!.set(v, list);
    });
  }
  const order = topologicalOrder(roots);
  const needed = neededVertices(order, capture);
  for (const v of order) {
    if (v instanceof GradFn && needed.has(v) && v.isFreed && v.nextEdges.some((e) => e !== null && needed.has(e))) {
      throw new Error(FREED_GRAPH_MESSAGE);
    }
  }
  const results: (Tensor | null)[] = (opts.inputs ?? []).map(() => null);
  const pending = new Map<Vertex, Tensor>();
  const prevMode = isGradEnabled();
  setGradEnabled(createGraph);
  let current: Tensor | null = null;
  try {
    outputs.forEach((o, i) => addPending(pending, roots[i] as Vertex, checkedGradOutput(o, opts.gradOutputs[i], i)));
    for (const v of order) {
      const pendingGrad = pending.get(v);
      if (pendingGrad === undefined) continue;
      pending.delete(v);
      if (!needed.has(v)) {
        pendingGrad.dispose();
        continue;
      }
      const t = v instanceof Tensor ? v : v.output;
      current = pendingGrad;
      const g = runHooks(t, pendingGrad);
      current = g;
      for (const idx of capture?.get(v) ?? []) results[idx] = alias(g);
      if (v instanceof Tensor) {
        current = null;
        if (capture === null && v.requiresGrad) accumulateInto(v, g, createGraph);
        else g.dispose();
        continue;
      }
      if (capture === null && t.retainsGrad) accumulateInto(t, alias(g), createGraph);
      const needs = v.nextEdges.map((e) => e !== null && needed.has(e));
      if (needs.some((n) => n)) {
        const grads = callRule(v, g, needs);
        grads.forEach((gi, i) => {
          if (gi !== null) addPending(pending, v.nextEdges[i] as Vertex, gi);
        });
        if (!retainGraph) v.release();
      }
      current = null;
      g.dispose();
    }
  } catch (e) {
    current?.dispose();
    for (const r of results) r?.dispose();
    throw e;
  } finally {
    for (const g of pending.values()) g.dispose();
    setGradEnabled(prevMode);
  }
  return results;
}
