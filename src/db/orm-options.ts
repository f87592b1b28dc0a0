import { Migrator } from '@mikro-orm/migrations';
import type { Options } from '@mikro-orm/postgresql';
import { migrationsList } from '../../migrations/index.js';

/**
 * The ORM settings shared by the server, the scripts and the tests. The entities come from the
 * composition root (src/entities.ts) and the connection from orm.ts, because the embedded
 * database is found only at start.
 */
export const ormOptions: Options = {
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
};
