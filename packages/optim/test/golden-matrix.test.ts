/**
 * Every optimizer trajectory of the golden folder (except lbfgs_*, tested with LBFGS), in float32
 * and float64, on an engine WITH the fused CPU kernels and on one WITHOUT them (composed ops):
 * params after every step and the final state dict (PyTorch layout) against PyTorch 1.13 (the
 * check: tools/testing/golden-optim.ts, reading synchronously here).
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '@backstep/tensor';
import { toPyTorchStateDict } from '../src/index.js';
import { goldenNames, loadGolden } from '../../../tools/testing/golden.js';
import { runTrajectory, type TrajectoryCase } from '../../../tools/testing/golden-optim.js';
import { makeEngine, vals } from './helpers.js';
import { OPTIMIZERS } from './optimizers.table.js';

const engines: Record<'fused' | 'composed', Engine> = { fused: makeEngine(true), composed: makeEngine(false) };

const covered = new Set(OPTIMIZERS.flatMap((d) => d.golden));

describe('golden optimizer trajectories', () => {
  it('the descriptor table covers every optimizer trajectory file exactly once', () => {
    const files = goldenNames('optim').filter((n) => !n.startsWith('lbfgs_'));
    const all = OPTIMIZERS.flatMap((d) => d.golden);
    expect(new Set(all).size).toBe(all.length);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    expect(all.filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const d of OPTIMIZERS) {
    describe(d.name, () => {
      for (const name of d.golden) {
        const c = loadGolden<TrajectoryCase>(`optim/${name}.json`);
        for (const dtype of ['float32', 'float64'] as const) {
          for (const path of ['fused', 'composed'] as const) {
            it(`${name} ${dtype} (${path})`, async () => {
              expect(c.optimizer).toBe(d.name);
              const errors = await runTrajectory(c, dtype, {
                engine: engines[path],
                create: (groups, options) => d.create(groups as never, options),
                read: vals,
                pytorchStateDict: (opt) => toPyTorchStateDict(opt.stateDict(), { tensors: 'json' }),
              });
              expect(errors, errors.join('\n')).toEqual([]);
            });
          }
        }
      }
    });
  }
});
