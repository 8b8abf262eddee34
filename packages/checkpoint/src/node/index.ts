/** Node-only helpers of @backstep/checkpoint: crash-safe file writes. */
export { writeFileAtomic } from './atomic-write.js';
export { saveCheckpoint, loadCheckpoint } from './checkpoint-file.js';
