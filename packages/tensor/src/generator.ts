/**
 * A seedable random generator (MT19937, as PyTorch's CPU generator) whose complete state can be
 * saved and restored, so a back-step can rewind randomness exactly.
 */
export interface GeneratorState {
  /** The seed last set. */
  seed: number;
  /** The 624-word Mersenne Twister state. */
  mt: number[];
  /** Position in `mt`. */
  index: number;
  /** Cached second normal of the Box–Muller pair, or null. */
  nextNormal: number | null;
}

/** A Mersenne-Twister random generator with `manualSeed`, `getState` and `setState`. */
export class Generator {
  private mt = new Uint32Array(624);
  private index = 625;
  private seedValue = 0;
  private nextNormal: number | null = null;

  /** Creates a generator seeded with `seed` (default 67280421310721, PyTorch's default seed, folded to 32 bits). */
  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator. Returns it. */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new TypeError(`manualSeed: seed must be a finite number, got ${seed}`);
    this.seedValue = seed;
    const s = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed))));
    this.mt[0] = s >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] as number;
      const x = prev ^ (prev >>> 30);
      // 1812433253 * x + i, in 32-bit arithmetic
      this.mt[i] = (Math.imul(1812433253, x) + i) >>> 0;
    }
    this.index = 624;
    this.nextNormal = null;
    return this;
  }

  /** The seed last set. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** A copy of the full state (JSON-serialisable). */
  getState(): GeneratorState {
    return { seed: this.seedValue, mt: Array.from(this.mt), index: this.index, nextNormal: this.nextNormal };
  }

  /** Restores a state taken by {@link getState}; validates it first and changes nothing if invalid. */
  setState(state: GeneratorState): void {
    if (
      state === null || typeof state !== 'object' || !Array.isArray(state.mt) || state.mt.length !== 624 ||
      !Number.isInteger(state.index) || state.index < 0 || state.index > 625
    ) {
      throw new TypeError('Generator.setState: not a generator state (expected {seed, mt: 624 numbers, index, nextNormal})');
    }
    this.mt = Uint32Array.from(state.mt);
    this.index = state.index;
    this.seedValue = state.seed;
    this.nextNormal = state.nextNormal ?? null;
  }

  /** `stateDict()` of the Stateful contract: the state. */
  stateDict(): { version: 1; state: GeneratorState } {
    return { version: 1, state: this.getState() };
  }

  /** `loadStateDict()` of the Stateful contract. */
  loadStateDict(sd: { state: GeneratorState }): void {
    if (sd === null || typeof sd !== 'object' || !('state' in sd)) throw new TypeError('Generator.loadStateDict: expected {state}');
    this.setState(sd.state);
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform float in [0, 1) with 24 random bits (exact in float32). */
  nextFloat(): number {
    return (this.nextUint32() & 0xffffff) / 16777216;
  }

  /** A standard normal sample (Box–Muller). */
  nextNormalSample(): number {
    if (this.nextNormal !== null) {
      const v = this.nextNormal;
      this.nextNormal = null;
      return v;
    }
    const u1 = 1 - this.nextDouble();
    const u2 = this.nextDouble();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.nextNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [low, high). */
  nextInt(low: number, high: number): number {
    const range = high - low;
    if (range <= 0) throw new RangeError(`randint: high (${high}) must be greater than low (${low})`);
    if (range <= 0x100000000) {
      // rejection sampling for an unbiased draw
      const limit = Math.floor(0x100000000 / range) * range;
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + (x % range);
    }
    return low + Math.floor(this.nextDouble() * range);
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = ((mt[i] as number) & 0x80000000) | ((mt[(i + 1) % 624] as number) & 0x7fffffff);
      let v = (mt[(i + 397) % 624] as number) ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }
}

/** The generator random functions use unless given one. */
export const defaultGenerator = new Generator();

/** Seeds the default generator (PyTorch's `torch.manual_seed`). Returns it. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
