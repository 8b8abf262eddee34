/** Command-line parsing for the examples (node:util's parseArgs, tolerant of pnpm's `--`). */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The parsed values: booleans for `type: 'boolean'` options, strings otherwise. */
export type CliValues<T extends NonNullable<ParseArgsConfig['options']>> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/** Parses `argv` (default `process.argv.slice(2)`) with the given options; a bare `--` is ignored. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(options: T, argv: string[] = process.argv.slice(2)): CliValues<T> {
  const args = argv.filter((a) => a !== '--');
  return parseArgs({ args, options, strict: true, allowPositionals: false }).values as CliValues<T>;
}

/** Parses a non-negative integer option (or returns the default). */
export function intOption(v: unknown, name: string, fallback?: number): number | undefined {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${String(v)}`);
  return n;
}

/** Parses a finite number option (or returns the default). */
export function numberOption(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${String(v)}`);
  return n;
}
