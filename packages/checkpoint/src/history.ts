import { collectTensors, type Tensor } from '@backstep/tensor';
import { assertStatefulMap, loadAll, type Stateful, type StatefulMap } from './stateful.js';

/** What {@link History} reports about one snapshot. */
export interface SnapshotInfo {
  /** Increasing id, unique within the history. */
  id: number;
  /** The training step the snapshot was taken at (as given to `commit`, or a count of commits). */
  step: number;
  /** Bytes of tensor data the snapshot holds. */
  bytes: number;
  /** Optional label given to `commit`. */
  label?: string;
}

interface Snapshot extends SnapshotInfo {
  states: Record<string, unknown>;
}

/** Options of {@link History}. */
export interface HistoryOptions {
  /** How many snapshots to keep (a ring: the oldest is dropped). Default 8. */
  capacity?: number;
  /**
   * Capture the current state before each `backStep` so a failed restore can be undone
   * (default false: the objects' own snapshots cannot fail to load, so this only guards user extras).
   */
  transactional?: boolean;
}

function bytesOf(v: unknown): number {
  return collectTensors(v).reduce((n: number, t: Tensor) => n + t.numel() * (t.dtype === 'float64' ? 8 : t.dtype === 'bool' ? 1 : 4), 0);
}

/**
 * Back-stepping in memory: a bounded ring of snapshots of a set of Stateful objects (model,
 * optimizer, scheduler, generator, user extras). `commit()` takes a snapshot; `backStep(n)`
 * restores the n-th most recent one exactly, so re-running the same step gives bit-identical
 * parameters, optimizer state and scheduler state.
 *
 * ```ts
 * const history = new History({ model, optimizer, scheduler, generator }, { capacity: 4 });
 * history.commit();
 * trainStep();
 * if (unhappy) history.backStep(); // as if the step never happened
 * ```
 */
export class History {
  private readonly objects: StatefulMap;
  private readonly ring: Snapshot[] = [];
  private nextId = 0;
  private commits = 0;
  /** Maximum number of snapshots kept. */
  readonly capacity: number;
  private readonly transactional: boolean;

  constructor(objects: Record<string, Stateful>, options: HistoryOptions = {}) {
    assertStatefulMap(objects, 'History');
    const capacity = options.capacity ?? 8;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`History: capacity must be a positive integer, got ${capacity}`);
    this.objects = { ...objects };
    this.capacity = capacity;
    this.transactional = options.transactional ?? false;
  }

  /** Takes a snapshot of every object (dropping the oldest when full). */
  commit(meta: { step?: number; label?: string } = {}): SnapshotInfo {
    const states: Record<string, unknown> = {};
    for (const [name, o] of Object.entries(this.objects)) states[name] = o.stateDict();
    // snapshots outlive any tidy scope the commit happens in
    for (const t of collectTensors(states)) t.engine.keep(t);
    const snap: Snapshot = {
      id: this.nextId++,
      step: meta.step ?? this.commits,
      bytes: bytesOf(states),
      states,
      ...(meta.label === undefined ? {} : { label: meta.label }),
    };
    this.commits++;
    this.ring.push(snap);
    while (this.ring.length > this.capacity) this.release(this.ring.shift() as Snapshot);
    return info(snap);
  }

  /**
   * Restores the n-th most recent snapshot (1 = the last commit) into every object and drops the
   * newer ones. The restored snapshot stays, so the same point can be returned to again.
   */
  backStep(n = 1): SnapshotInfo {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`backStep: n must be a positive integer, got ${n}`);
    if (n > this.ring.length) {
      throw new RangeError(`backStep(${n}): only ${this.ring.length} snapshot${this.ring.length === 1 ? '' : 's'} held (capacity ${this.capacity}); commit() before stepping`);
    }
    const snap = this.ring[this.ring.length - n] as Snapshot;
    if (this.transactional) loadAll(this.objects, snap.states);
    else for (const [name, o] of Object.entries(this.objects)) o.loadStateDict(snap.states[name] as never);
    for (const dropped of this.ring.splice(this.ring.length - n + 1)) this.release(dropped);
    return info(snap);
  }

  /** Number of snapshots held. */
  get length(): number {
    return this.ring.length;
  }

  /** The snapshots held, oldest first. */
  snapshots(): SnapshotInfo[] {
    return this.ring.map(info);
  }

  /** The training steps of the snapshots held, oldest first. */
  steps(): number[] {
    return this.ring.map((s) => s.step);
  }

  /** Bytes of tensor data held by all snapshots. */
  bytes(): number {
    return this.ring.reduce((n, s) => n + s.bytes, 0);
  }

  /** Drops every snapshot (releasing their buffers). */
  clear(): void {
    for (const s of this.ring.splice(0)) this.release(s);
  }

  private release(s: Snapshot): void {
    for (const t of collectTensors(s.states)) t.dispose();
  }
}

function info(s: Snapshot): SnapshotInfo {
  return { id: s.id, step: s.step, bytes: s.bytes, ...(s.label === undefined ? {} : { label: s.label }) };
}
