import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';
import type { Logger } from '../logger.js';
import { AppStartError } from '../errors/app-start-error.js';

export interface EmbeddedDatabase {
  /** Where the ordinary driver connects: a Unix socket directory (libpq's `host`), never a TCP port. */
  socketDirectory: string;
  /** Makes every file under the data directory owner-only again (PGlite creates them 0666). */
  secureFiles(): Promise<void>;
  close(): Promise<void>;
}

/** How long a lock may go without being refreshed before a new server may take it over. */
const LOCK_STALE_MS = 10_000;
/** libpq names the socket file after the port, in the directory given as host. */
export const EMBEDDED_SOCKET_PORT = 5432;
/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;

/**
 * Starts PGlite with its data under dataDir and serves it on a Unix socket in an owner-only
 * directory, so the server uses the same driver, SQL and migrations as with a real PostgreSQL
 * while no other local user can reach the database (PGlite accepts any password, and runs inside
 * this process: a stranger's `select pg_sleep()` would freeze the server). A lock in dataDir keeps
 * a second server from opening the same files, which PGlite would corrupt.
 */
export async function startEmbeddedDatabase(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const release = await lockDataDir(dir, log);
  let db: PGlite | undefined;
  let socketDirectory: string | undefined;
  try {
    db = await PGlite.create({ dataDir: join(dir, 'pgdata') });
    socketDirectory = await ownerOnlySocketDirectory(dir);
    const server = new PGLiteSocketServer({
      db,
      path: join(socketDirectory, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`),
      maxConnections: 1,
    });
    await server.start();
    const secureFiles = () => restrictTree(dir);
    await secureFiles();
    log.info({ dataDir: dir }, 'embedded database started');
    const database = db;
    const socketDir = socketDirectory;
    return {
      socketDirectory: socketDir,
      secureFiles,
      async close() {
        await server.stop();
        await database.close();
        await secureFiles();
        await removeSocketDirectory(socketDir);
        await release();
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    if (socketDirectory) await removeSocketDirectory(socketDirectory);
    await release();
    throw error;
  }
}

/**
 * DATA_DIR/run (0700), or a fresh 0700 directory under the system's temporary directory when
 * DATA_DIR is too deep for a socket path. A socket left by a crashed server is removed: the
 * data directory's lock says no other server uses it.
 */
async function ownerOnlySocketDirectory(dataDir: string): Promise<string> {
  const inside = join(dataDir, 'run');
  if (join(inside, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`).length > MAX_SOCKET_PATH) {
    return mkdtemp(join(tmpdir(), 'ledgerline-'));
  }
  await rm(inside, { recursive: true, force: true });
  await mkdir(inside, { mode: 0o700 });
  await chmod(inside, 0o700);
  return inside;
}

const removeSocketDirectory = (socketDirectory: string): Promise<void> =>
  rm(socketDirectory, { recursive: true, force: true }).catch(() => undefined);

/** Directories 0700, files and the socket 0600, whatever the umask and whatever PGlite asked for. */
async function restrictTree(path: string): Promise<void> {
  await chmod(path, 0o700).catch(ignoreVanished);
  const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    ignoreVanished(error);
    return [];
  });
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await restrictTree(child);
    else if (entry.isFile() || entry.isSocket()) await chmod(child, 0o600).catch(ignoreVanished);
  }
}

/** PostgreSQL may remove a file (a WAL segment, a temporary file) while the tree is walked. */
function ignoreVanished(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
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
