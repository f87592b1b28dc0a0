import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';
import type { Logger } from '../logger.js';
import { AppStartError } from '../errors/app-start-error.js';

export interface EmbeddedDatabase {
  /** A postgres:// URL for the ordinary driver, on a loopback port picked at start. */
  url: string;
  close(): Promise<void>;
}

/** How long a lock may go without being refreshed before a new server may take it over. */
const LOCK_STALE_MS = 10_000;

/**
 * Starts PGlite with its data under dataDir and serves it on a free loopback port, so the
 * server uses the same driver, SQL and migrations as with a real PostgreSQL. A lock in dataDir
 * keeps a second server from opening the same files, which PGlite would corrupt.
 */
export async function startEmbeddedDatabase(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const release = await lockDataDir(dir, log);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir: join(dir, 'pgdata') });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    log.info({ dataDir: dir, at: server.getServerConn() }, 'embedded database started');
    const database = db;
    return {
      url: `postgres://postgres@${server.getServerConn()}/postgres`,
      async close() {
        await server.stop();
        await database.close();
        await release();
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await release();
    throw error;
  }
}

async function lockDataDir(dir: string, log: Logger): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, {
      lockfilePath: join(dir, 'server.lock'),
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: 0,
      onCompromised: (error) => log.error({ err: error }, 'lock on the data directory was lost'),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new AppStartError(
        `The data directory ${dir} is in use by another Ledgerline server. Stop that server or set DATA_DIR ` +
          `to another directory (a lock left by a crashed server expires after ${LOCK_STALE_MS / 1000}s).`,
      );
    }
    throw error;
  }
}
