import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A module reaches another only through what that module declares public: its `module.ts` (the
 * manifest) and, as types only, its services (`*.service.ts`), which it receives from the app
 * through its manifest's `needs`. Repositories, routes and every other file stay private.
 */
const modulesDir = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier of a file (static imports and re-exports, dynamic imports), with whether it is type-only. */
export function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const statement = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(statement)) {
    const clause = m[3] ?? '';
    // `import { type A, type B } from` is type-only too
    const names = /^\{([^}]*)\}$/.exec(clause.trim())?.[1];
    const allTypes =
      !!names &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    found.push({ specifier: m[4]!, typeOnly: !!m[2] || allTypes });
  }
  for (const m of source.matchAll(/(?:^|[\n;])\s*import\s+['"]([^'"]+)['"]/g)) found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

/** The module a file belongs to (its folder under modules/), or null for the registry itself. */
const moduleOf = (file: string): string | null => {
  const rel = path.relative(modulesDir, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : null;
};

function violations(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(modulesDir)) {
    const own = moduleOf(file);
    if (!own) continue;
    for (const { specifier, typeOnly } of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(modulesDir + path.sep)) continue;
      const other = moduleOf(target);
      if (!other || other === own) continue;
      const name = path.basename(target);
      // a test may build its data with another module's fixtures (its own test helpers: a signed prescription, a lab order)
      const fixtures = name.endsWith('.fixtures.ts') && /\.(test|fixtures)\.ts$/.test(file);
      const allowed = name === 'module.ts' || (typeOnly && name.endsWith('.service.ts')) || fixtures;
      if (!allowed) out.push(`${path.relative(modulesDir, file)} imports ${path.relative(modulesDir, target)}`);
    }
  }
  return out;
}

describe('module boundaries', () => {
  it('no module imports another module’s repository, routes or internals (only its module.ts, its service types, and in tests its fixtures)', () => {
    expect(violations()).toEqual([]);
  });

  it('reads import statements the way the rule needs', () => {
    const src = [
      "import * as repo from '../auth/auth.repository.ts';",
      "import type { AuthService } from '../auth/auth.service.ts';",
      "import { type ClinicsService } from '../clinics/clinics.service.ts';",
      "import { PatientsService } from '../patients/patients.service.ts';",
      "export { x } from './local.ts';",
      "const lazy = () => import('../queue/queue.matrix.ts');",
      "import {\n  a,\n  b,\n} from '../scheduling/appointments.repository.ts';",
    ].join('\n');
    expect(importsOf(src)).toEqual([
      { specifier: '../auth/auth.repository.ts', typeOnly: false },
      { specifier: '../auth/auth.service.ts', typeOnly: true },
      { specifier: '../clinics/clinics.service.ts', typeOnly: true },
      { specifier: '../patients/patients.service.ts', typeOnly: false },
      { specifier: './local.ts', typeOnly: false },
      { specifier: '../scheduling/appointments.repository.ts', typeOnly: false },
      { specifier: '../queue/queue.matrix.ts', typeOnly: false },
    ]);
  });
});
