import { MikroORM, type Options } from '@mikro-orm/postgresql';
import baseConfig from '../../mikro-orm.config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedDatabase } from './embedded.js';

export interface DatabaseSettings {
  /** Unset: the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  dataDir: string;
}

export interface Database {
  orm: MikroORM;
  /** True when the embedded database is in use (its pool holds one connection). */
  embedded: boolean;
  close(): Promise<void>;
}

/** Initialises MikroORM with the shared config; tests pass overrides (e.g. a query logger). */
export function initORM(clientUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init({ ...baseConfig, clientUrl, ...overrides });
}

/**
 * Opens the configured database (starting the embedded one when no URL is set), applies pending
 * migrations and returns it with a close() that shuts everything down in reverse order.
 */
export async function openDatabase(
  settings: DatabaseSettings,
  log: Logger,
  overrides: Partial<Options> = {},
): Promise<Database> {
  const embedded = settings.databaseUrl ? undefined : await startEmbeddedDatabase(settings.dataDir, log);
  try {
    const orm = await initORM(settings.databaseUrl ?? embedded!.url, {
      // PGlite runs one query at a time; a single connection keeps transactions whole.
      pool: embedded ? { min: 0, max: 1 } : { min: 0, max: 10 },
      ...overrides,
    });
    try {
      const applied = await orm.migrator.up();
      if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
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
