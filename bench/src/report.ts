/** Collects benchmark results and renders them as a console line and a Markdown table. */

/** The machine facts measured at the start of the run. */
export interface Machine {
  threads: number;
  peak: { gflops: number; relaxed: boolean };
  copyGBs: number;
  triadGBs: number;
  /** The triad over arrays beyond the last-level cache (3 × 40M floats: DRAM bandwidth). */
  triadDramGBs: number;
  peers: string;
  cpu: string;
  wasm: string;
}

interface Row {
  title: string;
  cells: string[];
}

const fmtMs = (ms: number | undefined): string => (ms === undefined ? '—' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const ratio = (num: number | undefined, den: number | undefined): string => (num === undefined || den === undefined ? '—' : `${(num / den).toFixed(2)}×`);

/** The report of one run. */
export class Report {
  private readonly rows: Row[] = [];
  private readonly targets: string[] = [];
  private readonly notes: string[] = [];
  private readonly contenders: string[];

  /** A report for `machine`. */
  constructor(readonly machine: Machine) {
    this.contenders = ['backstep-1t', ...(machine.threads > 1 ? [`backstep-${machine.threads}t`] : []), 'tfjs-cpu', 'tfjs-wasm', 'jax-wasm'];
  }

  /** The machine description. */
  header(): string {
    const m = this.machine;
    return [
      `CPU: ${m.cpu}, ${m.threads} threads; Node ${process.version}; ${m.wasm}`,
      `peers: ${m.peers}`,
      `limits measured in this run: WASM SIMD ${m.peak.relaxed ? 'relaxed FMA' : 'mul+add'} peak ${m.peak.gflops.toFixed(1)} GFLOP/s per thread; ` +
        `Float32Array.set copy ${m.copyGBs.toFixed(1)} GB/s; WASM SIMD triad (bytes read + written) ${m.triadGBs.toFixed(1)} GB/s ` +
        `over 3 × 10M floats (120 MB), ${m.triadDramGBs.toFixed(1)} GB/s over 3 × 40M floats (480 MB: DRAM)`,
    ].join('\n');
  }

  /** Adds a case: ms per iteration of each contender and the work of one iteration. */
  add(title: string, t: Map<string, number>, work: { flops?: number; bytes?: number; unit?: string }): void {
    const nt = `backstep-${this.machine.threads}t`;
    const one = t.get('backstep-1t');
    const many = t.get(nt) ?? one;
    const cell = (name: string): string => {
      const ms = t.get(name);
      if (ms === undefined) return '—';
      if (work.unit === 'steps/s') return `${fmtMs(ms)} ms (${(1000 / ms).toFixed(0)}/s)`;
      if (work.flops !== undefined) return `${fmtMs(ms)} ms (${(work.flops / ms / 1e6).toFixed(1)} GF/s)`;
      return `${fmtMs(ms)} ms (${((work.bytes ?? 0) / ms / 1e6).toFixed(1)} GB/s)`;
    };
    let limit = '—';
    if (one !== undefined && work.bytes !== undefined) {
      const pct = (ms: number, gbs: number): string => `${((100 * (work.bytes as number)) / ms / 1e6 / gbs).toFixed(0)}%`;
      limit = `1t: ${pct(one, this.machine.triadGBs)} of triad (${pct(one, this.machine.triadDramGBs)} of DRAM triad)` +
        (many !== one && many !== undefined ? `; ${this.machine.threads}t: ${pct(many, this.machine.triadGBs)} of triad` : '');
    }
    else if (one !== undefined && work.flops !== undefined) {
      limit = `${((100 * work.flops) / one / 1e6 / this.machine.peak.gflops).toFixed(0)}% of 1-thread peak`;
      if (many !== one && many !== undefined) limit += `; ${((100 * work.flops) / many / 1e6 / this.machine.peak.gflops / this.machine.threads).toFixed(0)}% of ${this.machine.threads}-thread peak`;
    }
    this.rows.push({
      title,
      cells: [
        ...this.contenders.map(cell),
        ratio(t.get('tfjs-wasm'), one), ratio(t.get('jax-wasm'), one), ratio(t.get('tfjs-wasm'), many), ratio(t.get('jax-wasm'), many),
        this.machine.threads > 1 ? ratio(one, t.get(nt)) : '—', limit,
      ],
    });
  }

  /** Adds the snapshot/restore case (contenders copy, step, commit+step, backStep+step). */
  addSnapshot(n: number, t: Map<string, number>): void {
    const copy = t.get('copy') ?? NaN;
    const step = t.get('step') ?? NaN;
    const snap = Math.max((t.get('commit+step') ?? NaN) - step, 1e-6);
    const restore = Math.max((t.get('backStep+step') ?? NaN) - (t.get('commit+step') ?? NaN) - step, 1e-6);
    const cells = new Array<string>(this.contenders.length + 5).fill('—');
    cells[0] = `snapshot ${fmtMs(snap)} ms, restore ${fmtMs(restore)} ms`;
    cells[cells.length - 1] = `copy ${fmtMs(copy)} ms: snapshot ${((100 * copy) / snap).toFixed(0)}%, restore ${((100 * copy) / restore).toFixed(0)}% of Float32Array.set`;
    this.rows.push({ title: `History snapshot/restore, ${n / 1e6}M params + Adam state (${(12 * n) / 1e6} MB)`, cells });
  }

  /** Records a target of the issue: `value` (a ratio or a fraction) against `goal`. */
  target(label: string, value: number | undefined, goal: number, unit: '×' | '%'): void {
    if (value !== undefined && !Number.isFinite(value)) value = undefined;
    const fmt = (x: number): string => (unit === '%' ? `${(100 * x).toFixed(0)}%` : `${x.toFixed(2)}×`);
    const met = value !== undefined && value >= goal;
    this.targets.push(`| ${label} | ${fmt(goal)} | ${value === undefined ? '—' : fmt(value)} | ${value === undefined ? 'not measured' : met ? 'met' : 'not met'} |`);
  }

  /** Adds a note under the table. */
  note(text: string): void {
    this.notes.push(text);
  }

  /** The last row as a console line. */
  lastLine(): string {
    const r = this.rows[this.rows.length - 1] as Row;
    return `${r.title}\n  ${this.contenders.map((c, i) => `${c}: ${r.cells[i]}`).join(' | ')}\n  ratios (peer time / Backstep time): ${r.cells.slice(this.contenders.length).join(' | ')}`;
  }

  /** The Markdown document. */
  markdown(command: string): string {
    const nt = `${this.machine.threads}t`;
    const head = [...this.contenders, 'tfjs-wasm ÷ 1t', 'jax ÷ 1t', `tfjs-wasm ÷ ${nt}`, `jax ÷ ${nt}`, `1t ÷ ${nt}`, 'vs machine limit'];
    const lines = [
      '# Benchmarks',
      '',
      `Produced by \`${command}\` (Backstep and every peer interleaved in one Node process; each`,
      'figure is the best of several rounds, so load from other processes hits all contenders alike).',
      'Ratios are peer time ÷ Backstep time (higher is better for Backstep); "1t" is Backstep on one',
      `thread, "${nt}" on the worker pool. The machine's limits were measured in the same run:`,
      '',
      '```',
      this.header(),
      '```',
      '',
      `| case | ${head.join(' | ')} |`,
      `| --- | ${head.map(() => '---').join(' | ')} |`,
      ...this.rows.map((r) => `| ${r.title} | ${r.cells.join(' | ')} |`),
      '',
      ...(this.targets.length > 0 ? ['Targets of the issue, from this run:', '', '| target | goal | measured | |', '| --- | --- | --- | --- |', ...this.targets, ''] : []),
      ...this.notes.map((n) => `${n}\n`),
      'Work per iteration: matmul 2n³ FLOP; MLP and CNN steps count 3× the forward FLOPs; optimizer',
      'steps count the bytes read and written per element (Adam 28, SGD with momentum 20) against the',
      'one-thread WASM SIMD triad bandwidth (the 120 MB triad; the 480 MB one in parentheses). Snapshot/restore is the extra time of an Adam step after',
      '`History.commit()` (copy-on-write of param, expAvg, expAvgSq) and after `History.backStep()`,',
      'against `Float32Array.set` of the same 12 bytes per parameter.',
      '',
    ];
    return lines.join('\n');
  }
}
