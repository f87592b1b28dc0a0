import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors/app-error.js';
import { HTTP_STATUS, sendHttpError } from '../src/errors/http-error.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';
import { CSV, ME, exportFetch, csvFields } from './helpers/export.js';

/** GET /export/transactions: its answers, formats and filters, and the HTTP error writer it uses. */

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
