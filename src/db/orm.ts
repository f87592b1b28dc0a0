import { MikroORM, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormOptions } from './orm-options.js';
import { dataDirStartError, databaseStartError } from '../errors/start-errors.js';
import type { Logger } from '../logger.js';
import { EMBEDDED_SOCKET_PORT, startEmbeddedDatabase } from './embedded.js';

export interface DatabaseSettings {
  /** Unset: the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /**
   * Seconds any one SQL statement may run, and a transaction may sit idle, before PostgreSQL
   * ends it: the backstop that keeps one request from holding the database. Unset: no limit
   * (the maintenance scripts).
   */
  dbStatementTimeout?: number;
  dbIdleInTransactionTimeout?: number;
}

export interface Database {
  orm: MikroORM;
  /** True when the embedded database is in use (its pool holds one connection). */
  embedded: boolean;
  close(): Promise<void>;
}

/** Initialises MikroORM with the shared options; tests pass overrides (e.g. a query logger). */
export function initORM(connection: Partial<Options>, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init({ ...ormOptions, ...connection, ...overrides });
}

/**
 * Opens the configured database (starting the embedded one when no URL is set), applies pending
 * migrations and returns it with a close() that shuts everything down in reverse order.
 */
export async function openDatabase(
  settings: DatabaseSettings,
  log: Logger,
  /** `entities` at least: what the composition root registers. */
  overrides: Partial<Options> & Pick<Options, 'entities'>,
): Promise<Database> {
  const lock = settings.databaseUrl ? await connectFirst(settings.databaseUrl) : undefined;
  try {
    return await openWith(settings, log, overrides, lock);
  } finally {
    // Ending the session releases the migrations lock, whatever happened.
    await lock?.end().catch(() => undefined);
  }
}

/** openDatabase once the migrations lock's connection (PostgreSQL only) is open. */
async function openWith(
  settings: DatabaseSettings,
  log: Logger,
  overrides: Partial<Options> & Pick<Options, 'entities'>,
  lock: pg.Client | undefined,
): Promise<Database> {
  const embedded = settings.databaseUrl
    ? undefined
    : await startEmbeddedDatabase(settings.dataDir, log).catch((error: unknown) => {
        throw dataDirStartError(error, settings.dataDir);
      });
  try {
    const target: Partial<Options> = embedded
      ? { host: embedded.socketDirectory, port: EMBEDDED_SOCKET_PORT, user: 'postgres', dbName: 'postgres' }
      : { clientUrl: settings.databaseUrl };
    const orm = await initORM(target, {
      // PGlite runs one query at a time; a single connection keeps transactions whole.
      pool: embedded ? { min: 0, max: 1 } : { min: 0, max: 10 },
      driverOptions: { connection: sessionSettings(settings) },
      ...overrides,
    });
    try {
      const applied = await migrateOnce(orm, lock);
      if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
      await embedded?.secureFiles(); // the migrations may have created files
    } catch (error) {
      await orm.close(true);
      throw error;
    }
    return {
      orm,
      embedded: Boolean(embedded),
      async close() {
        await orm.close(true);
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/**
 * The connection that will hold the migrations lock, opened before anything else, so that a wrong
 * DATABASE_URL (nothing listening, unknown host, role or database) is one line naming it rather
 * than a driver's stack from deep in the ORM.
 */
async function connectFirst(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // reported by connect() and query() themselves
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw databaseStartError(error, databaseUrl);
  }
}

/** The advisory lock key replicas of Ledgerline take around migrations (any constant). */
export const MIGRATIONS_LOCK = 7_212_026;

/**
 * Applies the pending migrations, one server at a time: replicas started together on one
 * PostgreSQL database queue on a session advisory lock, held on `lock`, a connection of its own
 * (ended by openDatabase), and each after the first finds nothing left to do. (The embedded
 * database has one server and no lock.)
 */
async function migrateOnce(orm: MikroORM, lock: pg.Client | undefined): Promise<string[]> {
  await lock?.query('select pg_advisory_lock($1)', [MIGRATIONS_LOCK]);
  return (await orm.migrator.up()).map((migration) => migration.name);
}

/**
 * node-postgres sends these as session settings when each pooled connection starts: the
 * timeouts, and a plan per execution for prepared statements (db/prepared-rows.ts). A generic
 * plan is made for no user in particular: for a user with 10,000 rows next to one with a million
 * it counted with parallel workers, 50 ms instead of 2 (bench/ R2). The one exception is the
 * budget_spending function, which sets its own mode (its migration says why).
 */
function sessionSettings(settings: DatabaseSettings): Record<string, number | string> {
  const session: Record<string, number | string> = { options: '-c plan_cache_mode=force_custom_plan' };
  if (settings.dbStatementTimeout) session.statement_timeout = settings.dbStatementTimeout * 1000;
  if (settings.dbIdleInTransactionTimeout) {
    session.idle_in_transaction_session_timeout = settings.dbIdleInTransactionTimeout * 1000;
  }
  return session;
}
