// The import rules of DESIGN.md, as data, and a checker over source text.
// Used by tools/check-imports.mjs (the `lint` task) and by tools/test/dependency-rules.test.ts.

/** Which workspace packages each package may import. `typeOnly` ones only through `import type`. */
export const RULES = {
  tensor: { allowed: [], typeOnly: [] },
  'backend-cpu': { allowed: ['tensor'], typeOnly: [] },
  'backend-webgpu': { allowed: ['tensor'], typeOnly: [] },
  autograd: { allowed: ['tensor'], typeOnly: [] },
  nn: { allowed: ['tensor', 'autograd'], typeOnly: [] },
  optim: { allowed: ['tensor'], typeOnly: [] },
  'lr-scheduler': { allowed: [], typeOnly: ['optim'] },
  checkpoint: { allowed: ['tensor'], typeOnly: [] },
  backstep: { allowed: '*', typeOnly: [] },
};

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](@backstep\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g;
const DYNAMIC_RE = /(?:import|require)\s*\(\s*['"](@backstep\/[a-z0-9-]+)(?:\/[^'"]*)?['"]\s*\)/g;

/**
 * Checks one package's source files. `files` maps a file path to its text.
 * Returns a list of violation messages (empty when the rules hold).
 */
export function checkPackageSources(pkg, files) {
  const rule = RULES[pkg];
  if (!rule) return [`package '${pkg}' has no entry in the dependency rules (tools/dependency-rules.mjs)`];
  const problems = [];
  for (const [file, text] of Object.entries(files)) {
    const found = [];
    for (const m of text.matchAll(IMPORT_RE)) found.push({ name: m[3].slice('@backstep/'.length), typeOnly: Boolean(m[2]) });
    for (const m of text.matchAll(DYNAMIC_RE)) found.push({ name: m[1].slice('@backstep/'.length), typeOnly: false });
    for (const { name, typeOnly } of found) {
      if (name === pkg || rule.allowed === '*') continue;
      if (rule.allowed.includes(name)) continue;
      if (rule.typeOnly.includes(name)) {
        if (!typeOnly) problems.push(`${file}: '${pkg}' may import '@backstep/${name}' for types only (use 'import type')`);
        continue;
      }
      problems.push(`${file}: '${pkg}' must not import '@backstep/${name}' (allowed: ${[...rule.allowed, ...rule.typeOnly].map((n) => '@backstep/' + n).join(', ') || 'no workspace package'})`);
    }
  }
  return problems;
}

/** Checks a package.json's runtime dependencies against the rules. */
export function checkPackageJson(pkg, pkgJson) {
  const rule = RULES[pkg];
  if (!rule || rule.allowed === '*') return [];
  const deps = Object.keys({ ...(pkgJson.dependencies ?? {}), ...(pkgJson.peerDependencies ?? {}) })
    .filter((d) => d.startsWith('@backstep/'))
    .map((d) => d.slice('@backstep/'.length));
  return deps
    .filter((d) => !rule.allowed.includes(d) && !rule.typeOnly.includes(d))
    .map((d) => `packages/${pkg}/package.json: '${pkg}' must not depend on '@backstep/${d}'`);
}
