import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildAppSchema, printAppSchema } from '../src/schema.js';

describe('schema.graphql', () => {
  it('is what the code emits (run `npm run build` to refresh it)', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printAppSchema(await buildAppSchema()));
  });
});
