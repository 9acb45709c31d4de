import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // one browser journey at a time: the machine has two cores shared with the server and PostgreSQL
    fileParallelism: false,
    // a page waits for the server, which shares the two cores with PostgreSQL, the browser and a
    // CI run's other work: one second (Vitest's default) is too short for a booking under load
    expect: { poll: { timeout: 10_000 } },
  },
});
