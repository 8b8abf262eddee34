/**
 * Releases graphs nobody can backward through any more. A node is reachable while some node
 * whose output tensor is not disposed leads to it; backward always starts from a live tensor,
 * so the saved tensors of unreachable nodes can never be used again. This frees graphs that
 * were recorded but never backwarded (an evaluation run with grad enabled, a metric computed
 * from tensors that require grad, ...) once `tidy` or `dispose` has released their tensors.
 */
import { GradFn } from './grad-fn.js';

const MIN_SWEEP = 256;
const registry = new Set<GradFn>();
let sweepAt = MIN_SWEEP;

/** Tracks a new node; sweeps when the number of tracked nodes has doubled since the last sweep. */
export function trackNode(node: GradFn): void {
  registry.add(node);
  if (registry.size >= sweepAt) {
    sweepGraphs();
    sweepAt = Math.max(MIN_SWEEP, 2 * registry.size);
  }
}

/**
 * Releases the saved tensors of every graph node that no live (undisposed) tensor can reach,
 * and stops tracking it. Runs automatically as nodes are recorded (amortised O(1) per op);
 * call it directly to release such graphs at a known point. Returns how many nodes had saved
 * tensors released.
 */
export function sweepGraphs(): number {
  const alive = new Set<GradFn>();
  const stack: GradFn[] = [];
  for (const n of registry) {
    if (!n.output.isDisposed) {
      alive.add(n);
      stack.push(n);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop() as GradFn;
    for (const e of n.nextEdges) {
      if (e instanceof GradFn && !alive.has(e)) {
        alive.add(e);
        stack.push(e);
      }
    }
  }
  let released = 0;
  for (const n of registry) {
    if (alive.has(n)) continue;
    if (n.hasSavedTensors && !n.isFreed) released++;
    n.release();
    registry.delete(n);
  }
  return released;
}

/** The number of graph nodes currently tracked (for tests and diagnostics). */
export function trackedNodeCount(): number {
  return registry.size;
}
