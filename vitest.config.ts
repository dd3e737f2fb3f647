import { defineConfig } from 'vitest/config'

// Tests run the packages from source: `@gitpg/source` picks `src/index.ts` in their exports, in
// this process and (through NODE_OPTIONS) in the processes the tests spawn.
const conditions = ['@gitpg/source', 'module', 'node', 'development|production']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@gitpg/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // files wait on git, Postgres and servers more than they compute: more files than cores
    // as many workers at the start as at most: a pool that shrinks when idle and grows again
    // can end a worker that has just been handed a file (`Terminating worker thread`)
    maxWorkers: 3,
    minWorkers: 3,
    // a worker keeps the modules it loaded for the next file instead of loading them again
    isolate: false,
    env: { NODE_OPTIONS: '--conditions=@gitpg/source' },
  },
})
