/**
 * Timing helpers: contenders of one benchmark are measured interleaved (round-robin, several
 * rounds) in the same process, and each reports its best round, so that load from other
 * processes on the machine hits them alike.
 */

/** One contender: `setup` returns the function to time (one iteration) and an optional cleanup. */
export interface Contender {
  name: string;
  setup: () => Promise<{ run: () => void | Promise<void>; cleanup?: () => void }> | { run: () => void | Promise<void>; cleanup?: () => void };
}

/** Milliseconds per iteration of each contender (best of `rounds` rounds of `reps` iterations). */
export async function race(contenders: readonly Contender[], opts: { reps: number; rounds?: number; warmup?: number }): Promise<Map<string, number>> {
  const rounds = opts.rounds ?? 5;
  const ready: { name: string; run: () => void | Promise<void>; cleanup?: () => void; best: number }[] = [];
  for (const c of contenders) {
    try {
      const s = await c.setup();
      for (let i = 0; i < (opts.warmup ?? 2); i++) await s.run();
      ready.push({ name: c.name, ...s, best: Infinity });
    } catch (e) {
      console.error(`  ${c.name}: skipped (${(e as Error).message.split('\n')[0]})`);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of ready) {
      const t0 = performance.now();
      for (let i = 0; i < opts.reps; i++) await c.run();
      c.best = Math.min(c.best, (performance.now() - t0) / opts.reps);
    }
  }
  for (const c of ready) c.cleanup?.();
  return new Map(ready.map((c) => [c.name, c.best]));
}
