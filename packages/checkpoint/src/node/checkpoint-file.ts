import { readFileSync } from 'node:fs';
import type { Stateful } from '../stateful.js';
import { loadTrainingState, saveTrainingState, type LoadedTrainingState, type LoadTrainingStateOptions, type TrainingStateInfo } from '../training-state.js';
import { writeFileAtomic } from './atomic-write.js';

/** Saves a training state to `path` crash-safely (temporary file, flush, rename). */
export async function saveCheckpoint(path: string, objects: Record<string, Stateful>, info: TrainingStateInfo = {}): Promise<void> {
  writeFileAtomic(path, await saveTrainingState(objects, info));
}

/** Loads a training state from `path` into live objects; on any error nothing is changed. */
export function loadCheckpoint(path: string, objects: Record<string, Stateful>, options: LoadTrainingStateOptions = {}): LoadedTrainingState {
  return loadTrainingState(new Uint8Array(readFileSync(path)), objects, options);
}
