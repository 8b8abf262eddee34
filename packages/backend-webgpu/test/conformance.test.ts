/** The shared backend conformance suite on the WebGPU backend (float32, int32, bool: WGSL has no float64). */
import { Engine } from '@backstep/tensor';
import { runBackendConformance } from '@backstep/tensor/conformance';
import { it } from 'vitest';
import { registerWebGpuBackend } from '../src/index.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();

runBackendConformance({
  backendName: 'webgpu',
  makeEngine: () => {
    const engine = new Engine();
    registerWebGpuBackend(engine, gpu.backend!, { setCurrent: true });
    return engine;
  },
  dtypes: ['float32', 'int32', 'bool'],
  describe: describeGpu(gpu),
  it,
});
