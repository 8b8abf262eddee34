#!/usr/bin/env node
// Fails (exit 1) when a package's sources or package.json break the import rules of DESIGN.md.
// Usage: node tools/check-imports.mjs [package ...]   (all packages when none are named)
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackageJson, checkPackageSources } from './dependency-rules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir, out = {}) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out[p.slice(root.length + 1)] = readFileSync(p, 'utf8');
  }
  return out;
}

/** Problems across the named packages (all under packages/ by default). */
export function checkRepo(pkgs) {
  const names = pkgs?.length ? pkgs : readdirSync(join(root, 'packages')).filter((n) => existsSync(join(root, 'packages', n, 'package.json')));
  const problems = [];
  for (const pkg of names) {
    const dir = join(root, 'packages', pkg);
    if (existsSync(join(dir, 'src'))) problems.push(...checkPackageSources(pkg, walk(join(dir, 'src'))));
    problems.push(...checkPackageJson(pkg, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))));
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = checkRepo(process.argv.slice(2));
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('import rules hold');
}
