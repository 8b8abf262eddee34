import { decodeSafetensors, encodeSafetensors, type HostTensor } from './safetensors.js';
import { flattenState, tensorToHost, unflattenState } from './state-tree.js';
import { assertStatefulMap, loadAll, type Stateful } from './stateful.js';

/** Extra, non-Stateful information saved with a training state. */
export interface TrainingStateInfo {
  /** The training step. */
  step?: number;
  /** Anything JSON-serialisable (run name, config, metrics, ...). */
  metadata?: Record<string, unknown>;
}

/** Options of {@link loadTrainingState}. */
export interface LoadTrainingStateOptions {
  /** Passed to each object's `loadStateDict` (default true). */
  strict?: boolean;
  /** Backend to create loaded tensors on (default: the current backend). */
  backend?: string;
}

const FORMAT = 'backstep-training-state/1';

/**
 * Serialises a whole training state — every object's state dict, the step and user metadata —
 * as one safetensors file: tensors under stable dotted names (`model.lin1.weight`,
 * `optimizer.state.0.expAvg`, ...), everything else as JSON in the header's metadata.
 * Reads tensors asynchronously, so it works on every backend.
 */
export async function saveTrainingState(objects: Record<string, Stateful>, info: TrainingStateInfo = {}): Promise<Uint8Array> {
  assertStatefulMap(objects, 'saveTrainingState');
  const states: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(objects)) {
    if (name.includes('.')) throw new TypeError(`saveTrainingState: object names cannot contain '.', got '${name}'`);
    states[name] = o.stateDict();
  }
  const flat = flattenState(states);
  const tensors: Array<[string, HostTensor]> = [];
  for (const [name, t] of flat.tensors) tensors.push([name, await tensorToHost(t)]);
  const header = { format: FORMAT, objects: Object.keys(objects), step: info.step ?? null, metadata: info.metadata ?? {}, states: flat.json };
  return encodeSafetensors(tensors, { format: 'pt', backstep: JSON.stringify(header) });
}

/** What a loaded training state carried besides the objects' states. */
export interface LoadedTrainingState {
  /** The saved step (null if none). */
  step: number | null;
  /** The saved user metadata. */
  metadata: Record<string, unknown>;
}

/**
 * Loads a training state written by {@link saveTrainingState} into live objects. Everything is
 * validated first (file format, every object present, each object's own checks); if anything
 * fails, a clear error is thrown and no live object is changed.
 */
export function loadTrainingState(bytes: Uint8Array, objects: Record<string, Stateful>, options: LoadTrainingStateOptions = {}): LoadedTrainingState {
  assertStatefulMap(objects, 'loadTrainingState');
  const content = decodeSafetensors(bytes);
  const raw = content.metadata.backstep;
  if (raw === undefined) throw new Error('loadTrainingState: not a Backstep training state (no "backstep" entry in the safetensors metadata)');
  let header: { format?: unknown; objects?: unknown; step?: unknown; metadata?: unknown; states?: unknown };
  try {
    header = JSON.parse(raw) as typeof header;
  } catch (e) {
    throw new Error(`loadTrainingState: the training-state metadata is not valid JSON (${(e as Error).message})`);
  }
  if (header.format !== FORMAT) throw new Error(`loadTrainingState: unsupported format ${JSON.stringify(header.format)} (expected ${FORMAT})`);
  const saved = header.states as Record<string, unknown> | undefined;
  if (saved === null || typeof saved !== 'object') throw new Error('loadTrainingState: the file holds no states');
  const missing = Object.keys(objects).filter((n) => !(n in saved));
  if (missing.length) throw new Error(`loadTrainingState: the file has no state for ${missing.map((m) => `'${m}'`).join(', ')} (it holds ${Object.keys(saved).join(', ')})`);
  const states = unflattenState(saved, content.tensors, options.backend === undefined ? {} : { backend: options.backend }) as Record<string, unknown>;
  loadAll(objects, states, { strict: options.strict ?? true });
  return { step: typeof header.step === 'number' ? header.step : null, metadata: (header.metadata ?? {}) as Record<string, unknown> };
}
