import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors/app-error.js';
import { HTTP_STATUS, sendHttpError } from '../src/errors/http-error.js';
import { findBalanceDrift } from '../src/modules/ledger/verify.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';

/*
 * GET /export/transactions: the answers and formats, and the limits that keep one client from
 * holding the database: keyset pages (no connection or transaction held while the client
 * reads), a cut for clients that take no data, and a per-user cap on exports at once.
 *
 * The stall tests need an export far larger than the loopback socket buffers (a few MB), so
 * user A gets ROWS transactions with long descriptions, inserted in SQL.
 */

const ROWS = 30_000;
const DESCRIPTION_PAD = 400;
const CSV = '/export/transactions?format=csv';
const ME = '{ me { id } }';

/** A pino logger that keeps every line, parsed, for assertions. */
function memoryLogger() {
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
          line.req?.id === id && (status === 200 ? /^export /.test(line.msg) : line.res !== undefined),
      ),
  };
}

/** ROWS expense transactions for one account, 2020-01-01 onwards, then the matching balance. */
async function seedManyTransactions(server: TestServer, userId: string, accountId: string): Promise<void> {
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
  expect(await findBalanceDrift(server.app.orm.em.fork(), userId)).toEqual([]);
}

/** A user with ROWS transactions. */
async function bigUser(server: TestServer): Promise<RegisteredUser> {
  const user = await registerUser(server.client());
  const account = await createAccount(server.client(user.accessToken), { name: 'Bulk' });
  await seedManyTransactions(server, user.id, account.id);
  return user;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface RawExport {
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
function stalledExport(server: TestServer, token: string, path = CSV): RawExport {
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
async function responseHead(raw: RawExport): Promise<number> {
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

function exportFetch(server: TestServer, token: string | undefined, path = CSV, signal?: AbortSignal) {
  return fetch(`${server.origin}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal,
  });
}

/** `{ me }` over HTTP; its latency in ms, failing after 5 s rather than hanging. */
async function timedMe(server: TestServer, token: string): Promise<number> {
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
async function databaseSessions(server: TestServer): Promise<{ state: string | null; query: string }[]> {
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

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
/** An export page query (pg_stat_activity keeps an idle session's last query: check the state too). */
const isExportQuery = (session: { query: string }) => /from "transactions"/i.test(session.query);

/** CSV fields of one line as written by the export (every field quoted). */
const csvFields = (line: string): string[] => line.slice(1, -1).split('","');

describe('export: answers and formats', () => {
  let server: TestServer;
  let user: RegisteredUser;

  beforeAll(async () => {
    server = await startTestServer();
    user = await registerUser(server.client());
    const client = server.client(user.accessToken);
    const account = await createAccount(client, { name: 'Main' });
    await createTransaction(client, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '1.50',
      date: '2026-01-02',
      description: 'x;=1+1;x',
      tags: ['a', 'b'],
    });
    await createTransaction(client, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '2.00',
      date: '2026-01-01',
      description: '=HYPERLINK("http://example.com")',
    });
    await createTransaction(client, {
      accountId: account.id,
      type: 'INCOME',
      amount: '10',
      date: '2026-01-03',
    });
  });

  afterAll(() => server?.close());

  it('CSV quotes every field, header included, on top of the leading quote for formulas', async () => {
    const response = await exportFetch(server, user.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="transactions-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await response.text()).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '"date","type","amount","currency","account","transfer account","category","description","tags","id"',
    );
    expect(lines).toHaveLength(4);
    // Oldest first; a spreadsheet splitting on ; or , sees one cell, and no cell starts with =.
    const rows = lines.slice(1).map(csvFields);
    expect(rows.map((row) => row.slice(0, 3))).toEqual([
      ['2026-01-01', 'EXPENSE', '2.00'],
      ['2026-01-02', 'EXPENSE', '1.50'],
      ['2026-01-03', 'INCOME', '10.00'],
    ]);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://example.com"")",`);
    expect(lines[2]).toContain(',"x;=1+1;x","a, b",');
    // Empty cells (no transfer account, no category, no description, no tags) are quoted too.
    expect(rows[2]!.slice(5, 9)).toEqual(['', '', '', '']);
    expect(lines[3]).toContain(',"","","","",');
  });

  it('JSON is one array of rows, oldest first', async () => {
    const response = await exportFetch(server, user.accessToken, '/export/transactions?format=json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const rows = (await response.json()) as Record<string, unknown>[];
    expect(rows.map((row) => row.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(rows[1]).toMatchObject({
      type: 'EXPENSE',
      amount: '1.50',
      account: 'Main',
      transferAccount: null,
      category: null,
      description: 'x;=1+1;x',
      tags: ['a', 'b'],
    });
  });

  it('keeps the filters, and answers 400, 401 and 404 with the JSON error body', async () => {
    const filtered = await exportFetch(
      server,
      user.accessToken,
      '/export/transactions?format=json&from=2026-01-02&type=EXPENSE',
    );
    expect(((await filtered.json()) as unknown[]).length).toBe(1);

    const empty = await exportFetch(
      server,
      user.accessToken,
      '/export/transactions?format=json&from=2030-01-01',
    );
    expect(await empty.json()).toEqual([]);

    const cases: [string | undefined, string, number, string][] = [
      [undefined, CSV, 401, ErrorCode.UNAUTHENTICATED],
      ['not-a-token', CSV, 401, ErrorCode.UNAUTHENTICATED],
      [user.accessToken, '/export/transactions?format=xml', 400, ErrorCode.BAD_USER_INPUT],
      [user.accessToken, '/export/transactions?bogus=1', 400, ErrorCode.BAD_USER_INPUT],
      [user.accessToken, `/export/transactions?accountId=${crypto.randomUUID()}`, 404, ErrorCode.NOT_FOUND],
    ];
    for (const [token, path, status, code] of cases) {
      const response = await exportFetch(server, token, path);
      expect({ path, status: response.status }).toEqual({ path, status });
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe(code);
      expect(body.errors[0]!.message).toEqual(expect.any(String));
    }
  });

  it('answers 401 to a valid token whose user no longer exists, as GraphQL does', async () => {
    const gone = await registerUser(server.client());
    await server.app.orm.em.fork().execute('delete from users where id = ?', [gone.id]);

    expect(await server.client(gone.accessToken).errorCode(ME)).toBe(ErrorCode.UNAUTHENTICATED);
    const response = await exportFetch(server, gone.accessToken);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: ErrorCode.UNAUTHENTICATED } }],
    });
  });
});

describe('export: the HTTP error writer', () => {
  /** Just enough of an express Response to record what the writer does. */
  function recordingResponse() {
    const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
    const res = {
      status(code: number) {
        sent.status = code;
        return res;
      },
      setHeader(name: string, value: string) {
        sent.headers[name.toLowerCase()] = value;
        return res;
      },
      json(body: unknown) {
        sent.body = body;
        return res;
      },
    };
    return { res: res as never, sent };
  }

  it('has a status for every error code', () => {
    expect(HTTP_STATUS).toEqual({
      UNAUTHENTICATED: 401,
      NOT_FOUND: 404,
      BAD_USER_INPUT: 400,
      CONFLICT: 409,
      RATE_LIMITED: 429,
      INTERNAL_SERVER_ERROR: 500,
    });
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('writes the contract body, with Retry-After for RATE_LIMITED and the field for bad input', () => {
    const limited = recordingResponse();
    sendHttpError(limited.res, ErrorCode.RATE_LIMITED, 'Slow down', { retryAfter: 7 });
    expect(limited.sent).toEqual({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { errors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 7 } }] },
    });

    const conflict = recordingResponse();
    sendHttpError(conflict.res, ErrorCode.CONFLICT, 'Already exists');
    expect(conflict.sent.status).toBe(409);

    const bad = recordingResponse();
    sendHttpError(bad.res, ErrorCode.BAD_USER_INPUT, 'Request body too large', {
      status: 413,
      field: 'body',
    });
    expect(bad.sent).toEqual({
      status: 413,
      headers: {},
      body: {
        errors: [
          { message: 'Request body too large', extensions: { code: 'BAD_USER_INPUT', field: 'body' } },
        ],
      },
    });
  });
});

describe('export: a client that stops reading', () => {
  const logger = memoryLogger();
  let server: TestServer;
  let userA: RegisteredUser;
  let userB: RegisteredUser;
  const raws: RawExport[] = [];
  /** Exports each test started; after it, the server must be done with them (slots free). */
  const started: { id?: string | null; status: number }[] = [];

  beforeAll(async () => {
    // Stalls here last until the test ends them; the cut is tested on its own server below.
    server = await startTestServer({ exportWriteTimeout: 600 }, { log: logger.log });
    userA = await bigUser(server);
    userB = await registerUser(server.client());
    const account = await createAccount(server.client(userB.accessToken));
    await createTransaction(server.client(userB.accessToken), {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '3.00',
    });
  });

  /** A stalled export of the user's, once the server has answered 200 and begun the file. */
  async function openStalled(token: string): Promise<RawExport> {
    const raw = stalledExport(server, token);
    raws.push(raw);
    const status = await responseHead(raw);
    started.push(raw);
    expect(status).toBe(200);
    return raw;
  }

  async function tracked(token: string, path = CSV, signal?: AbortSignal): Promise<Response> {
    const response = await exportFetch(server, token, path, signal);
    started.push({ id: response.headers.get('x-request-id'), status: response.status });
    return response;
  }

  async function endStalled() {
    for (const raw of raws.splice(0)) {
      raw.socket.destroy();
      await raw.closed;
    }
  }

  // A test's exports must not hold slots into the next one, even when it fails.
  afterEach(async () => {
    await endStalled();
    await until(() => started.every(logger.done), 'the server to finish the exports');
    started.length = 0;
  });
  afterAll(() => server?.close());

  it('a large export is complete: every row once, oldest first (date, then id)', async () => {
    const response = await tracked(userA.accessToken, '/export/transactions?format=json');
    expect(response.status).toBe(200);
    const keys = ((await response.json()) as { date: string; id: string }[]).map(({ date, id }) => ({
      date,
      id,
    }));
    expect(keys).toHaveLength(ROWS);
    expect(new Set(keys.map((key) => key.id)).size).toBe(ROWS);
    const outOfOrder = keys.findIndex(
      (key, i) =>
        i > 0 &&
        (keys[i - 1]!.date > key.date || (keys[i - 1]!.date === key.date && keys[i - 1]!.id > key.id)),
    );
    expect(outOfOrder).toBe(-1);
    expect(keys[0]!.date).toBe('2020-01-01');
  }, 60_000);

  it("holds no database connection: other users' requests answer promptly", async () => {
    await openStalled(userA.accessToken);

    const latencies: number[] = [];
    for (let i = 0; i < 6; i++) {
      latencies.push(await timedMe(server, userB.accessToken));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const ready = await fetch(`${server.origin}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(await ready.json()).toMatchObject({ database: true });
    console.info(`{ me } during a stalled export: ${latencies.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    // Tens of milliseconds on an idle machine; the bound is generous for a busy one. Before, the
    // stalled export held the embedded database's only connection for as long as it stalled.
    for (const latency of latencies) expect(latency).toBeLessThan(3000);

    if (onPostgres) {
      // Between pages nothing is open: no transaction waits on the client.
      const sessions = await databaseSessions(server);
      expect(sessions.filter((s) => s.state?.startsWith('idle in transaction'))).toEqual([]);
    }
  }, 60_000);

  it('allows two exports at once per user: a third gets 429 RATE_LIMITED, other users are unaffected', async () => {
    await openStalled(userA.accessToken);
    await openStalled(userA.accessToken);

    const third = await tracked(userA.accessToken);
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(await third.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: ErrorCode.RATE_LIMITED, retryAfter } }],
    });

    const other = await tracked(
      userB.accessToken,
      '/export/transactions?format=json',
      AbortSignal.timeout(5000),
    );
    expect(other.status).toBe(200);
    expect(((await other.json()) as unknown[]).length).toBe(1);

    // A client that goes away frees its slot.
    const stalled = [...raws];
    await endStalled();
    await until(() => stalled.every(logger.done), 'the server to notice the clients left');
    const again = await tracked(userA.accessToken, '/export/transactions?format=json&from=2030-01-01');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual([]);
  }, 60_000);

  it('a client that cancels mid-stream is logged at debug, not as an error', async () => {
    const from = logger.lines.length;
    const controller = new AbortController();
    const response = await tracked(userA.accessToken, CSV, controller.signal);
    expect(response.status).toBe(200);
    const request = { id: response.headers.get('x-request-id'), status: 200 };
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.closed.catch(() => undefined);

    await until(() => logger.done(request), 'the server to finish the request');
    expect(logger.lines.slice(from).filter((line) => line.level >= 50)).toEqual([]);
    const cancelled = logger.lines.find((line) => line.req?.id === request.id && /cancel/i.test(line.msg));
    expect(cancelled?.level).toBe(20);
  }, 60_000);

  it('a database error mid-export is logged with the request id and leaves the file visibly unfinished', async () => {
    const from = logger.lines.length;
    const raw = await openStalled(userA.accessToken);

    // With the first rows sent, make every later page query fail.
    const em = server.app.orm.em.fork();
    const breaking = em.execute('alter table categories rename column name to name_broken_by_test');
    try {
      await Promise.race([
        breaking,
        new Promise((_resolve, reject) =>
          setTimeout(() => reject(new Error('the export keeps a lock on categories')), 10_000),
        ),
      ]);
      raw.socket.on('data', (chunk: Buffer) => raw.received.push(chunk));
      raw.socket.resume();
      await Promise.race([
        raw.closed,
        new Promise((_resolve, reject) =>
          setTimeout(() => reject(new Error('the response was not cut')), 30_000),
        ),
      ]);

      const received = Buffer.concat(raw.received).toString('latin1');
      const head = received.slice(0, received.indexOf('\r\n\r\n'));
      expect(head).toMatch(/transfer-encoding: chunked/i);
      // No terminating chunk: any HTTP client reports the body as incomplete.
      expect(received.endsWith('\r\n0\r\n\r\n')).toBe(false);
      expect(received.length).toBeLessThan(ROWS * DESCRIPTION_PAD);

      await until(() => logger.done(raw), 'the server to finish the request');
      const errors = logger.lines.slice(from).filter((line) => line.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.req?.id).toBe(raw.id);
      expect(errors[0]!.err?.message).toMatch(/name/);
    } finally {
      await endStalled();
      await breaking.catch(() => undefined);
      await em
        .execute('alter table categories rename column name_broken_by_test to name')
        .catch(() => undefined);
    }
  }, 60_000);
});

describe('export: the write timeout', () => {
  const logger = memoryLogger();
  let server: TestServer;
  let userA: RegisteredUser;
  const raws: RawExport[] = [];
  const started: { id?: string | null; status: number }[] = [];

  beforeAll(async () => {
    server = await startTestServer({ exportWriteTimeout: 1 }, { log: logger.log });
    userA = await bigUser(server);
  });

  afterEach(async () => {
    for (const raw of raws.splice(0)) raw.socket.destroy();
    await until(() => started.every(logger.done), 'the server to finish the exports');
    started.length = 0;
  });
  afterAll(() => server?.close());

  async function tracked(path: string): Promise<Response> {
    const response = await exportFetch(server, userA.accessToken, path);
    started.push({ id: response.headers.get('x-request-id'), status: response.status });
    return response;
  }

  /**
   * A stalled export that also notices the server's cut. A paused socket never does (Node stops
   * polling it once its buffer is full), so the client sends an empty line now and then, which
   * HTTP/1.1 servers ignore: once the server has closed, the next one fails and the socket closes.
   * It also shows that bytes from the client do not count as the client taking data.
   */
  async function probingStalledExport(): Promise<RawExport> {
    const raw = stalledExport(server, userA.accessToken);
    raws.push(raw);
    const probe = setInterval(() => raw.socket.write('\r\n'), 200);
    void raw.closed.then(() => clearInterval(probe));
    expect(await responseHead(raw)).toBe(200);
    started.push(raw);
    return raw;
  }

  const cut = (raw: RawExport, what: string) =>
    Promise.race([
      raw.closed,
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`${what} was not cut`)), 20_000)),
    ]);

  it('cuts an export whose client takes no data for EXPORT_WRITE_TIMEOUT, and frees everything', async () => {
    const raw = await probingStalledExport();
    const stalledAt = performance.now();
    await cut(raw, 'the export');
    const seconds = (performance.now() - stalledAt) / 1000;
    console.info(`stalled export cut ${seconds.toFixed(2)} s after its first bytes (timeout 1 s)`);
    expect(seconds).toBeLessThan(15);

    await until(() => logger.done(raw), 'the server to finish the request');
    const line = logger.lines.find((l) => l.req?.id === raw.id && /^export/.test(l.msg));
    expect(line).toMatchObject({ level: 30, msg: expect.stringMatching(/took no data/) });
    if (onPostgres) {
      const sessions = await databaseSessions(server);
      expect(sessions.filter((s) => s.state?.startsWith('idle in transaction'))).toEqual([]);
      expect(sessions.filter((s) => s.state === 'active' && isExportQuery(s))).toEqual([]);
    }
  }, 60_000);

  it('does not cut a client that keeps reading, even with a 1 s timeout', async () => {
    // Page queries are the server's time, not the client's: only waits on the client count.
    const response = await tracked(CSV);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.trimEnd().split('\n')).toHaveLength(ROWS + 1);
  }, 60_000);

  it('frees the slots of cut exports', async () => {
    const stalled = [await probingStalledExport(), await probingStalledExport()];
    await Promise.all(stalled.map((raw) => cut(raw, 'a stalled export')));
    await until(() => stalled.every((raw) => logger.done(raw)), 'the server to finish the requests');

    const again = await tracked('/export/transactions?format=json&from=2030-01-01');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual([]);
  }, 60_000);
});
