import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const alias = { '@': root };

// Files that assert latency bounds (p99, medians): they measure this machine, so they run on their own
// after everything else, one file at a time. Run beside a browser suite on 2 cores, a 50 ms p99 bound
// measures the neighbour, not Sigil.
const timing = [
  'tests/integration/client-auth-timing.test.ts',
  'tests/integration/jwt-customizer-isolation.test.ts',
  'tests/integration/jwt-customizer-breaker.test.ts', // a tripped script must cost < 500 ms
  'tests/unit/sandbox/perf.test.ts',
  'tests/unit/sandbox/warm.test.ts',
  'tests/unit/password-hash-timing.test.ts',
];

export default defineConfig({
  resolve: { alias },
  test: {
    root,
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'functional',
          root,
          include: ['tests/**/*.test.ts'],
          exclude: timing,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // Integration suites each boot a real server; two at a time suits a 2-core machine.
          maxWorkers: 2,
          fileParallelism: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'timing',
          root,
          include: timing,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
