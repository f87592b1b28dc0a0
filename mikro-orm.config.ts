import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './src/db/entities.js';
import { migrationsList } from './migrations/index.js';

/**
 * The ORM settings shared by the server, the scripts and the tests. The connection itself
 * (clientUrl, pool) is supplied by src/db/orm.ts, because the embedded database picks its port
 * at start.
 */
export default defineConfig({
  entities,
  extensions: [Migrator],
  // Money and ids stay strings; never let the driver turn numeric into a JS number.
  forceUtcTimezone: true,
  allowGlobalContext: false,
  ensureDatabase: false,
  migrations: {
    tableName: 'mikro_orm_migrations',
    path: './migrations',
    pathTs: './migrations',
    migrationsList,
    transactional: true,
    allOrNothing: true,
    snapshot: false,
    emit: 'ts',
    silent: true,
  },
});
