// Writes a migration for the difference between the entities and the committed migrations.
// It applies the committed migrations to a throw-away embedded database, diffs, and writes the
// new file to migrations/ (then add it to migrations/index.ts). Usage: npm run migration:create [-- name]
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/orm.js';
import { entities } from '../entities.js';
import { createLogger } from '../logger.js';

const dataDir = await mkdtemp(join(tmpdir(), 'ledgerline-migration-'));
const database = await openDatabase({ dataDir }, createLogger('warn'), { entities });
try {
  const target = fileURLToPath(new URL('../../../migrations', import.meta.url));
  const result = await database.orm.migrator.createMigration(target, false, false, process.argv[2]);
  console.log(result.fileName ? `Created migrations/${result.fileName}` : 'No changes: no migration needed');
} finally {
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}
