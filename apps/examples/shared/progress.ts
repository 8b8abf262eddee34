/**
 * A one-line progress bar on stderr: steps done, steps/s, the latest loss and the ETA.
 * On a terminal it redraws in place; otherwise (CI, a test, a pipe) it prints a plain line every
 * `logEvery` updates (default: 10% of the total) so logs stay short.
 */
export interface ProgressOptions {
  /** Total number of steps. */
  total: number;
  /** Label in front of the bar. */
  label?: string;
  /** Steps already done (a resumed run): the rate counts only new steps. */
  start?: number;
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  /** Non-terminal output: print every this many steps (default ~10% of the total). */
  logEvery?: number;
  /** Print nothing. */
  silent?: boolean;
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** The progress bar. */
export class ProgressBar {
  private readonly t0 = performance.now();
  private readonly start: number;
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly tty: boolean;
  private readonly logEvery: number;
  private lastDraw = 0;
  private lastLine = '';

  constructor(private readonly opts: ProgressOptions) {
    this.start = opts.start ?? 0;
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.logEvery = opts.logEvery ?? Math.max(1, Math.round((opts.total - this.start) / 10));
  }

  /** The line for `done` steps with the given extra fields (e.g. `{ loss: 0.12 }`). */
  line(done: number, fields: Record<string, number | string> = {}): string {
    const elapsed = (performance.now() - this.t0) / 1000;
    const rate = (done - this.start) / Math.max(elapsed, 1e-9);
    const eta = (this.opts.total - done) / rate;
    const width = 24;
    const frac = this.opts.total > 0 ? Math.min(1, done / this.opts.total) : 1;
    const filled = Math.round(frac * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const extra = Object.entries(fields).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(4) : v}`).join('  ');
    return `${this.opts.label ? `${this.opts.label} ` : ''}[${bar}] ${done}/${this.opts.total} ${(frac * 100).toFixed(0).padStart(3)}%  ${rate.toFixed(1)} steps/s  ${extra}  ETA ${fmtTime(eta)}`;
  }

  /** Reports progress. */
  update(done: number, fields: Record<string, number | string> = {}): void {
    if (this.opts.silent) return;
    if (this.tty) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && done < this.opts.total) return;
      this.lastDraw = now;
      this.lastLine = this.line(done, fields);
      this.stream.write(`\r${this.lastLine}\x1b[K`);
    } else if ((done - this.start) % this.logEvery === 0 || done === this.opts.total) {
      this.stream.write(`${this.line(done, fields)}\n`);
    }
  }

  /** Prints a message on its own line (above the bar on a terminal). */
  log(message: string): void {
    if (this.opts.silent) return;
    this.stream.write(this.tty ? `\r\x1b[K${message}\n${this.lastLine}` : `${message}\n`);
  }

  /** Ends the bar (a newline on a terminal). */
  finish(): void {
    if (!this.opts.silent && this.tty) this.stream.write('\n');
  }
}
