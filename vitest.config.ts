import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// esbuild drops decorator metadata, which type-graphql and MikroORM read; swc keeps it.
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    // Node loads graphql's CommonJS build for Apollo and type-graphql; make our code use the same
    // copy, or instanceof GraphQLError fails between the two (the dual-package hazard).
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // Generous, for a busy machine: a timeout is for a test that hangs, never a speed check.
    // Heavy tests derive their own from the work they do (tests/helpers/scale.ts).
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Each file starts its own server and database; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
