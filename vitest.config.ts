import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources through the custom export condition, so
// tests never run against a stale build. No 'import' here: Vite adds 'import' or 'require' by the
// kind of each import, and forcing 'import' makes require() in CommonJS dependencies (Express's
// router requiring is-promise) load ESM builds.
const conditions = ['@notiprobe/source', 'module', 'node', 'default']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@notiprobe/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/bench/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
})
