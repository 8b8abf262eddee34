import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without types
import { checkPackageSources, checkPackageJson } from '../dependency-rules.mjs';
// @ts-expect-error plain .mjs module without types
import { checkRepo } from '../check-imports.mjs';

describe('DESIGN.md import rules', () => {
  it('hold for every package in the repository', () => {
    expect(checkRepo([])).toEqual([]);
  });

  it('reject optim importing autograd', () => {
    const problems = checkPackageSources('optim', { 'packages/optim/src/x.ts': "import { noGrad } from '@backstep/autograd';\n" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("'optim' must not import '@backstep/autograd'");
  });

  it('reject a backend importing another backend, also through export-from and dynamic import', () => {
    expect(checkPackageSources('backend-cpu', { f: "export { x } from '@backstep/backend-webgpu';" })).toHaveLength(1);
    expect(checkPackageSources('backend-webgpu', { f: "const m = await import('@backstep/backend-cpu');" })).toHaveLength(1);
  });

  it('reject tensor importing any workspace package', () => {
    expect(checkPackageSources('tensor', { f: "import type { Module } from '@backstep/nn';" })).toHaveLength(1);
  });

  it('let lr-scheduler import optim for types only', () => {
    expect(checkPackageSources('lr-scheduler', { f: "import type { Optimizer } from '@backstep/optim';" })).toEqual([]);
    expect(checkPackageSources('lr-scheduler', { f: "import { Optimizer } from '@backstep/optim';" })).toHaveLength(1);
  });

  it('allow the permitted imports', () => {
    expect(checkPackageSources('nn', { f: "import { Tensor } from '@backstep/tensor';\nimport { noGrad } from '@backstep/autograd';" })).toEqual([]);
  });

  it('check package.json dependencies too', () => {
    expect(checkPackageJson('optim', { dependencies: { '@backstep/autograd': 'workspace:*' } })).toHaveLength(1);
    expect(checkPackageJson('optim', { dependencies: { '@backstep/tensor': 'workspace:*' } })).toEqual([]);
  });
});
