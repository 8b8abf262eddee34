/** Test helper: reproducible pseudo-random inputs for the WASM kernel tests. */

/**
 * `n` floats in [-0.5, 0.5) from a linear congruential generator seeded with `seed`, so a test
 * sees the same inputs on every run.
 */
export function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}
