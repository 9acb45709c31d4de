import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The import boundaries are lint rules (eslint.config.js); these fixtures break them on purpose so that a rule
// that stopped matching (a renamed folder, a changed pattern) fails here instead of silently allowing anything.
const repo = join(import.meta.dirname, '../../../..');
const FIXTURES = {
  crossFeature: 'features/portal/__lint_fixtures__/crossFeature.ts',
  sharedImportsFeature: 'components/__lint_fixtures__/sharedImportsFeature.ts',
};
const refusedLines: Record<string, number[]> = {};

beforeAll(async () => {
  // The fixtures are ignored by the normal lint run; type-aware linting takes a while on a busy machine.
  const eslint = new ESLint({ cwd: repo, ignore: false });
  const results = await eslint.lintFiles(Object.values(FIXTURES).map((path) => join(import.meta.dirname, '..', path)));
  for (const [name, path] of Object.entries(FIXTURES)) {
    const result = results.find((r) => r.filePath.endsWith(path));
    refusedLines[name] = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
  }
}, 240_000);

describe('web import boundaries', () => {
  it("refuses a feature importing another feature's internals, and accepts its index.ts", () => {
    expect(refusedLines.crossFeature).toEqual([2]);
  });

  it('refuses shared code importing a feature', () => {
    expect(refusedLines.sharedImportsFeature).toEqual([2]);
  });
});
