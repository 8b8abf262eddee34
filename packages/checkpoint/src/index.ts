/**
 * @backstep/checkpoint — state dicts, safetensors checkpoint files and exact back-stepping over
 * `Stateful` objects (DESIGN.md contract 4). Imports only `@backstep/tensor`. Node file helpers
 * live in `@backstep/checkpoint/node`; everything here works in browsers too (bytes in, bytes out).
 */
export {
  decodeSafetensors, encodeSafetensors, SafetensorsError, type HostTensor, type SafetensorsContent,
} from './safetensors.js';
export { flattenState, unflattenState, hostToTensor, tensorToHost, type FlatState, type TensorRef, type UnflattenOptions } from './state-tree.js';
export { isStateful, statefulValue, loadAll, type Stateful, type StatefulMap } from './stateful.js';
export { History, type HistoryOptions, type SnapshotInfo } from './history.js';
export {
  RollbackGuard, type RollbackGuardOptions, type RollbackEvent, type RollbackReason, type RollbackAction, type StepOutcome, type GuardedStepResult,
} from './rollback-guard.js';
export { saveTrainingState, loadTrainingState, type TrainingStateInfo, type LoadTrainingStateOptions, type LoadedTrainingState } from './training-state.js';
