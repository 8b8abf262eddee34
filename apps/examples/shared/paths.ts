/** Where the examples write their files. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `apps/examples` (independent of the working directory). */
export const examplesRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The default output folder, `apps/examples/out/` (git-ignored). */
export const defaultOutDir = resolve(examplesRoot, 'out');
