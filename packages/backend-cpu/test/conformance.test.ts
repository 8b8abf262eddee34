import { Engine } from '@backstep/tensor';
import { runBackendConformance } from '@backstep/tensor/conformance';
import { describe, it } from 'vitest';
import { registerCpuBackend } from '../src/index.js';

runBackendConformance({
  backendName: 'cpu',
  makeEngine: () => {
    const engine = new Engine();
    registerCpuBackend(engine);
    return engine;
  },
  describe,
  it,
});
