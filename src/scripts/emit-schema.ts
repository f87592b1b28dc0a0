// Writes schema.graphql from the code (run by `npm run build`); a test fails when it is stale.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { buildAppSchema, printAppSchema } from '../schema.js';

await writeFile(new URL('../../../schema.graphql', import.meta.url), printAppSchema(await buildAppSchema()));
