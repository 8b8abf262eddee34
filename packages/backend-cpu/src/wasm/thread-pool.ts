import type { WasmRuntime } from './runtime.js';
import type { Call } from './matmul-plan.js';

/** Threads a kernel may split its work over (1 until the pool has started). */
export function threadCount(): number {
  return 1;
}

/** Runs per-thread call lists (here: all on this thread, in order). */
export function runCalls(rt: WasmRuntime, lists: readonly Call[][]): void {
  const fns = rt.fnList;
  for (const list of lists) {
    for (const c of list) (fns[c[0] as number] as (...a: number[]) => void)(...c.slice(1));
  }
}
