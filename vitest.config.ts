import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (test/unit) needs neither a database nor the built frontend, so it starts at once
// (`npm run test:unit`); `db` (integration and e2e) gets the global setup: the embedded PostGIS, the seeded
// template and the frontend build. A run that queues no test of a project skips that project's setup.
export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine, and the db files then run
    // one after another while their time goes mostly to waiting on PostgreSQL and Chromium, which are other
    // processes (the vitest workers and their browsers used a quarter of a core over a whole run). One worker
    // per core, at least two, runs two files at once.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/global.ts'],
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
