/**
 * Stopping: the server stops taking connections, lets the requests in flight finish (writes
 * included), closes the database and ends. Every write a client saw acknowledged is stored, none
 * half-written; the process exits 0 on SIGTERM, and a second signal ends it at once.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import { bootstrap, type RunningServer } from '../src/server.js';
import { GraphQLClient } from './helpers/graphql.js';
import { createAccount } from './helpers/ledger.js';
import { createTransactionWith } from './helpers/operations.js';
import { freePort } from './helpers/ports.js';
import { freshDatabase, testConfig } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

const WRITES = 200;
const CREATE = createTransactionWith('id');
const MAIN = 'dist/src/main.js';

/** Fires WRITES expenses of 1.00 at once; resolves each to its id, or null when refused. */
function fireWrites(client: GraphQLClient, accountId: string): Promise<string | null>[] {
  return Array.from({ length: WRITES }, (_, i) =>
    client
      .request<{ createTransaction: { id: string } }>(CREATE, {
        input: { type: 'EXPENSE', amount: '1.00', date: '2026-01-15', accountId, description: `w${i}` },
      })
      .then(
        (result) => result.data?.createTransaction.id ?? null,
        () => null, // refused: the server no longer took the connection
      ),
  );
}

/** What the database holds for the account after the server stopped, read by a new server. */
async function storedAfter(config: ReturnType<typeof testConfig>, accessToken: string, accountId: string) {
  const server = await bootstrap({ config });
  try {
    const client = new GraphQLClient(server.url, accessToken);
    const data = await client.data(
      `query ($id: ID!) { account(id: $id) { balance }
         transactions(first: 500, filter: { accountIds: [$id] }) { nodes { id } } }`,
      { id: accountId },
    );
    const em = server.app.orm.em.fork();
    return {
      balance: data.account.balance as string,
      ids: new Set<string>(data.transactions.nodes.map((n: { id: string }) => n.id)),
      drift: [...(await findBalanceDrift(em)), ...(await findTotalsDrift(em))],
    };
  } finally {
    await server.close();
  }
}

describe('stopping', () => {
  it('lets the writes in flight finish: every acknowledged write is stored, none half-written', async () => {
    const database = await freshDatabase();
    const config = testConfig({
      jwtSecret: 'shutdown-test-secret-0123456789abcdef0123',
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
    });
    try {
      const server: RunningServer = await bootstrap({ config });
      const user = await registerUser(new GraphQLClient(server.url));
      const client = new GraphQLClient(server.url, user.accessToken);
      const account = await createAccount(client, { openingBalance: '1000.00' });
      const writes = fireWrites(client, account.id);
      await Promise.race(writes); // some are in flight, some done
      const stopped = server.close();
      const ids = await Promise.all(writes);
      await stopped;

      const acknowledged = ids.filter((id): id is string => id !== null);
      expect(acknowledged.length).toBeGreaterThan(0);
      const after = await storedAfter(config, user.accessToken, account.id);
      for (const id of acknowledged) expect(after.ids.has(id), `acknowledged ${id} is stored`).toBe(true);
      // Whatever was stored moved the balance, and nothing else did.
      expect(after.balance).toBe(`${1000 - after.ids.size}.00`);
      expect(after.drift).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it.skipIf(!existsSync(MAIN))(
    'npm start exits 0 on SIGTERM after the writes in flight, logging that it stopped (built server)',
    async () => {
      const database = await freshDatabase();
      const { child, url, output, exited, port } = await startBuiltServer(database, 'npm start');
      try {
        const user = await registerUser(new GraphQLClient(url));
        const client = new GraphQLClient(url, user.accessToken);
        const account = await createAccount(client, { openingBalance: '1000.00' });
        const writes = fireWrites(client, account.id);
        await Promise.race(writes);
        child.kill('SIGTERM');
        const ids = await Promise.all(writes);
        expect(await exited).toBe(0);
        expect(output()).toContain('server stopped');

        const acknowledged = ids.filter((id): id is string => id !== null);
        const config = testConfig({
          jwtSecret: 'shutdown-test-secret-0123456789abcdef0123',
          databaseUrl: database.databaseUrl,
          dataDir: database.dataDir,
        });
        const after = await storedAfter(config, user.accessToken, account.id);
        for (const id of acknowledged) expect(after.ids.has(id)).toBe(true);
        expect(after.drift).toEqual([]);
        // npm passed the signal on to the server itself: nothing is left serving the port.
        await expect(portAnswers(port)).resolves.toBe(false);
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
        await database.drop();
      }
    },
    180_000,
  );

  it.skipIf(!existsSync(MAIN))(
    'Ctrl-C on npm start (SIGINT to the whole process group, which npm forwards again) stops cleanly, exit 0',
    async () => {
      const database = await freshDatabase();
      const { child, output, exited, port } = await startBuiltServer(database, 'npm start');
      try {
        process.kill(-child.pid!, 'SIGINT');
        expect(await exited).toBe(0);
        expect(output()).toContain('server stopped');
        expect(output()).not.toContain('again');
        await expect(portAnswers(port)).resolves.toBe(false);
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
        await database.drop();
      }
    },
    180_000,
  );

  it.skipIf(!existsSync(MAIN))('a second signal ends the process at once (built server)', async () => {
    const database = await freshDatabase();
    const { child, output, exited, port } = await startBuiltServer(database);
    // A request whose body never comes: stopping waits for it (up to the drain's grace period).
    const stalled = connect(port, '127.0.0.1', () =>
      stalled.write(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      ),
    );
    stalled.on('error', () => undefined);
    try {
      await waitFor(() => stalled.bytesWritten > 0, 5_000, output);
      child.kill('SIGTERM');
      await waitFor(() => output().includes('server stopping'), 10_000, output);
      // A signal within a second of the first counts once (npm forwarding Ctrl-C): this one is later.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(output()).toContain('SIGINT again');
    } finally {
      stalled.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  });
});

/**
 * `node dist/src/main.js`, or `npm start` (its own process group, as in a terminal), on
 * `database`, once it listens. npm start rebuilds first only if the sources changed.
 */
async function startBuiltServer(
  database: Awaited<ReturnType<typeof freshDatabase>>,
  how: 'node' | 'npm start' = 'node',
) {
  const port = await freePort();
  const [command, args] = how === 'node' ? [process.execPath, [MAIN]] : ['npm', ['start']];
  const child = spawn(command, args, {
    detached: how !== 'node',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development', // Apollo handles signals itself outside 'test'
      HOST: '127.0.0.1',
      PORT: String(port),
      BCRYPT_COST: '4',
      LOG_LEVEL: 'info',
      JWT_SECRET: 'shutdown-test-secret-0123456789abcdef0123',
      DATA_DIR: database.dataDir,
      ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk) => (text += String(chunk)));
  child.stderr.on('data', (chunk) => (text += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = () => text;
  try {
    await waitFor(() => text.includes('server listening'), how === 'node' ? 60_000 : 150_000, output);
  } catch (error) {
    if (how === 'node') child.kill('SIGKILL');
    else process.kill(-child.pid!, 'SIGKILL');
    throw error;
  }
  return { child, url: `http://127.0.0.1:${port}/graphql`, output, exited, port };
}

/** Whether anything accepts a connection on 127.0.0.1:port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `ready` (every 50 ms) up to `timeoutMs`. */
async function waitFor(ready: () => boolean, timeoutMs: number, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not ready in ${timeoutMs} ms:\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
