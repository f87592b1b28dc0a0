import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { expect } from 'vitest';
import { findBalanceDrift, findTotalsDrift, insertRecountedTotals } from '../../src/modules/ledger/verify.js';
import { createAccount } from './ledger.js';
import type { TestServer } from './server.js';
import { registerUser, type RegisteredUser } from './users.js';

/** What the export tests share: a user with a large export, raw clients that stall, probes. */

export const ROWS = 30_000;
export const DESCRIPTION_PAD = 400;
export const CSV = '/export/transactions?format=csv';
export const ME = '{ me { id } }';

/**
 * The request a log line belongs to: `reqId` on lines logged during the request (req.log binds
 * only the id), `req.id` on the access log line that ends it.
 */
export const requestIdOf = (line: Record<string, any>): unknown => line.reqId ?? line.req?.id;

/** A pino logger that keeps every line, parsed, for assertions. */
export function memoryLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return {
    log: pino({ level: 'debug' }, stream),
    lines,
    /**
     * True once the server is done with the request and, for an export that began (200), has
     * freed its slot: every export logs one last line starting "export", then releases the slot
     * before the event loop moves on.
     */
    done: ({ id, status }: { id?: string | null; status: number }) =>
      lines.some(
        (line) =>
          requestIdOf(line) === id && (status === 200 ? /^export /.test(line.msg) : line.res !== undefined),
      ),
  };
}

/** ROWS expense transactions for one account, 2020-01-01 onwards, then the matching balance and totals. */
export async function seedManyTransactions(
  server: TestServer,
  userId: string,
  accountId: string,
): Promise<void> {
  const em = server.app.orm.em.fork();
  await em.execute(
    `insert into transactions (id, user_id, account_id, type, amount, date, description, tags)
     select gen_random_uuid(), ?, ?, 'EXPENSE', ((n % 9000) + 100) / 100.0, date '2020-01-01' + (n % 2000),
            'Row ' || n || ' ' || repeat('x', ?), array['bulk']
     from generate_series(1, ?) as n`,
    [userId, accountId, DESCRIPTION_PAD, ROWS],
  );
  // An expense takes its amount off the account: balance = opening balance - sum(amounts).
  await em.execute(
    `update accounts set balance = opening_balance - (select sum(amount) from transactions where account_id = ?)
     where id = ?`,
    [accountId, accountId],
  );
  // And the running totals, as the ledger writer would have kept them.
  await em.execute(insertRecountedTotals('t.user_id = ?'), [userId]);
  expect(await findBalanceDrift(server.app.orm.em.fork(), userId)).toEqual([]);
  expect(await findTotalsDrift(server.app.orm.em.fork(), userId)).toEqual([]);
}

/** A user with ROWS transactions. */
export async function bigUser(server: TestServer): Promise<RegisteredUser> {
  const user = await registerUser(server.client());
  const account = await createAccount(server.client(user.accessToken), { name: 'Bulk' });
  await seedManyTransactions(server, user.id, account.id);
  return user;
}

export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface RawExport {
  socket: Socket;
  /** What was read off the socket: the response head and whatever came with it. */
  received: Buffer[];
  /** Resolves once the socket has closed. */
  closed: Promise<void>;
  /** From the response head, once read. */
  id?: string;
  status: number;
}

/**
 * An export requested over a raw socket that is paused at once: past the response head (see
 * responseHead) the client never reads, so the server's writes fill the socket buffers and stall.
 */
export function stalledExport(server: TestServer, token: string, path = CSV): RawExport {
  const { hostname, port } = new URL(server.origin);
  const socket = connect(Number(port), hostname);
  socket.pause();
  // Paused from the start, Node would not even poll the socket; read(0) lets the first bytes
  // land in its buffer without consuming any.
  socket.once('connect', () => socket.read(0));
  socket.on('error', () => undefined);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: [], closed, status: 0 };
}

/**
 * The status of a raw export, and its request id. Reads the head off the socket (with the few KB
 * buffered after it), then nothing more.
 */
export async function responseHead(raw: RawExport): Promise<number> {
  let text = '';
  await until(() => {
    const chunk = raw.socket.read() as Buffer | null;
    if (chunk) raw.received.push(chunk);
    text = Buffer.concat(raw.received).toString('latin1');
    return text.includes('\r\n\r\n');
  }, 'the response head');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  raw.id = /^x-request-id: (\S+)/im.exec(head)?.[1];
  raw.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return raw.status;
}

export function exportFetch(server: TestServer, token: string | undefined, path = CSV, signal?: AbortSignal) {
  return fetch(`${server.origin}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal,
  });
}

/** `{ me }` over HTTP; its latency in ms, failing after 5 s rather than hanging. */
export async function timedMe(server: TestServer, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: ME }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as { data?: { me: { id: string } } };
  expect(body.data?.me.id).toBeTruthy();
  return performance.now() - started;
}

/** Sessions on the test database (PostgreSQL only) other than this check's own. */
export async function databaseSessions(
  server: TestServer,
): Promise<{ state: string | null; query: string }[]> {
  const url = new URL(server.config.databaseUrl!);
  const database = url.pathname.slice(1);
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query(
      `select state, query from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [database],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
/** An export page query (pg_stat_activity keeps an idle session's last query: check the state too). */
export const isExportQuery = (session: { query: string }) => /from "transactions"/i.test(session.query);

/** CSV fields of one line as written by the export (every field quoted). */
export const csvFields = (line: string): string[] => line.slice(1, -1).split('","');
