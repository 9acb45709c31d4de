import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Web boundaries: a feature (apps/web/src/features/<name>/) reaches another feature only through that feature's
// index.ts, its declared surface; shared code (components/, lib/) imports no feature at all; the app shell only
// index.ts files. One block per feature folder, so a new folder is covered without editing this file.
const WEB_FEATURES = readdirSync(new URL('apps/web/src/features/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
/** A relative import of a file inside one of these features other than its index.ts. */
const featureInternals = (names) => `^(?:\\./|(?:\\.\\./)+)(?:features/)?(?:${names.join('|')})/(?!index\\.ts$)`;
const ONLY_THROUGH_INDEX = 'Import another feature only through its index.ts (export what you need there).';
const webBoundaries = [
  ...WEB_FEATURES.map((name) => ({
    files: [`apps/web/src/features/${name}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: featureInternals(WEB_FEATURES.filter((other) => other !== name)), message: ONLY_THROUGH_INDEX }] },
      ],
    },
  })),
  {
    files: ['apps/web/src/app/**/*.{ts,tsx}', 'apps/web/src/main.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: featureInternals(WEB_FEATURES), message: ONLY_THROUGH_INDEX }] }],
    },
  },
  {
    files: ['apps/web/src/components/**/*.{ts,tsx}', 'apps/web/src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.\\./)+features/',
              message: 'Shared code imports no feature; move what both need to lib/ or components/.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'bench/results/**',
      'bench/.cache/**',
      '**/*.cjs',
      'eslint.config.js',
      // Deliberate violations, linted only by apps/web/src/app/boundaries.test.ts.
      'apps/web/src/**/__lint_fixtures__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  ...webBoundaries,
);
