/**
 * Bank-file import through the API: preview then commit of a 5,000-row CSV with duplicates and
 * bad lines (exact counts, nothing written on refusal, the ledger verifying after), the same OFX
 * twice (nothing the second time), importId replays, similar-row de-duplication and keepLines,
 * rules on import, undoImport, POST /import streaming, malformed files refused with the line and
 * column, and other users' ids behaving as unknown ones.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import {
  BAD_USER_INPUT,
  CONFLICT,
  INTERNAL_SERVER_ERROR,
  NOT_FOUND,
  UNAUTHENTICATED,
} from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { createBudget, listAlerts } from './helpers/budgets.js';
import { categoriesByName, createAccount, createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

const PREVIEW = `mutation ($input: ImportFileInput!, $sample: Int) {
  previewImport(input: $input, sample: $sample) {
    accountId rowCount newCount duplicateCount refusedCount
    rows { line date type amount description payee bankId tags category { id name } }
    duplicates { reason row { line amount bankId } existing { id amount description } }
    refused { line column reason }
  } }`;
const IMPORT_FIELDS =
  'id fileName format createdCount duplicateCount refusedCount undoneAt account { id balance }';
const COMMIT = `mutation ($input: ImportFileInput!, $importId: ID, $skipRefused: Boolean) {
  commitImport(input: $input, importId: $importId, skipRefused: $skipRefused) { ${IMPORT_FIELDS} } }`;
const UNDO = `mutation ($id: ID!) { undoImport(id: $id) { ${IMPORT_FIELDS} } }`;
const IMPORTS = `{ imports { ${IMPORT_FIELDS} } }`;
const COUNT = `query ($accountIds: [ID!]) { transactions(first: 1, filter: { accountIds: $accountIds }) { totalCount } }`;
const BALANCE = 'query ($id: ID!) { account(id: $id) { balance } }';

const CSV_MAPPING = {
  date: 'Date',
  amount: 'Amount',
  description: 'Description',
  payee: 'Payee',
  bankId: 'Id',
};

let server: TestServer;
beforeAll(async () => {
  // 1 MB: the 5,000-row file fits a mutation, a larger one is sent to POST /import.
  // 12 MB through POST /import: room for the file with a 10 MB line, and a 13 MB body to refuse.
  server = await startTestServer({ importMaxBytes: 1024 * 1024, importUploadMaxBytes: 12 * 1024 * 1024 });
});
afterAll(() => server?.close());

interface Person {
  client: GraphQLClient;
  token: string;
  account: string;
}

async function person(openingBalance = '1000'): Promise<Person> {
  const user = await registerUser(server.client());
  const client = server.client(user.accessToken);
  const account = (await createAccount(client, { name: 'Checking', openingBalance })).id;
  return { client, token: user.accessToken, account };
}

const csvInput = (account: string, content: string, extra: Record<string, unknown> = {}) => ({
  accountId: account,
  format: 'CSV',
  fileName: 'statement.csv',
  mapping: CSV_MAPPING,
  content,
  ...extra,
});

const count = async (who: Person): Promise<number> =>
  (await who.client.data(COUNT, { accountIds: [who.account] })).transactions.totalCount;
const balance = async (who: Person): Promise<string> =>
  (await who.client.data(BALANCE, { id: who.account })).account.balance;

async function expectNoDrift() {
  expect(await findBalanceDrift(server.app.orm.em.fork())).toEqual([]);
  expect(await findTotalsDrift(server.app.orm.em.fork())).toEqual([]);
}

/** A refused request: the code and field, never INTERNAL, and nothing written to the account. */
async function refused(
  who: Person,
  query: string,
  variables: Record<string, unknown>,
  code = BAD_USER_INPUT,
) {
  const before = {
    count: await count(who),
    balance: await balance(who),
    imports: await who.client.data(IMPORTS),
  };
  const result = await who.client.request(query, variables);
  expect(JSON.stringify(result)).not.toContain(INTERNAL_SERVER_ERROR);
  expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  expect({
    count: await count(who),
    balance: await balance(who),
    imports: await who.client.data(IMPORTS),
  }).toEqual(before);
  return result.errors![0]!;
}

const money = (cents: bigint): string => {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

/** `rows` CSV lines: row i is day (i % 28) + 1 of a month of 2026, bank id B<i>, -(i + 1) cents… */
function csvOf(lines: string[]): string {
  return ['Date,Amount,Description,Payee,Id', ...lines].join('\n') + '\n';
}
const line = (i: number) =>
  `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},-${Math.floor(i / 100) + 1}.${String(i % 100).padStart(2, '0')},Purchase ${i},Shop ${i % 17},B${i}`;

describe('a CSV of 5,000 rows with 3 duplicates and 2 bad lines', () => {
  it('previews exactly that, refuses to commit without skipRefused, then commits 4,995', async () => {
    const who = await person();
    // Three rows the bank sent before, imported earlier.
    const earlier = await who.client.data(COMMIT, {
      input: csvInput(who.account, csvOf([line(10), line(2000), line(4999)])),
    });
    expect(earlier.commitImport.createdCount).toBe(3);
    const afterEarlier = await balance(who);

    const rows = Array.from({ length: 5_000 }, (_, i) => line(i));
    rows[99] = '2026-13-45,-1.00,Bad date,Shop,X1'; // file line 101
    rows[3999] = '2026-01-05,12.3.4,Bad amount,Shop,X2'; // file line 4001
    const content = csvOf(rows);
    const preview = (await who.client.data(PREVIEW, { input: csvInput(who.account, content), sample: 3 }))
      .previewImport;
    expect(preview).toMatchObject({ rowCount: 5_000, newCount: 4_995, duplicateCount: 3, refusedCount: 2 });
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]).toMatchObject({
      line: 2,
      date: '2026-01-01',
      type: 'EXPENSE',
      amount: '1.00',
      description: 'Purchase 0',
      payee: 'Shop 0',
      bankId: 'B0',
    });
    expect(preview.duplicates.map((d: any) => [d.reason, d.row.bankId, d.existing.description])).toEqual([
      ['BANK_ID', 'B10', 'Purchase 10'],
      ['BANK_ID', 'B2000', 'Purchase 2000'],
      ['BANK_ID', 'B4999', 'Purchase 4999'],
    ]);
    expect(preview.refused.map((r: any) => [r.line, r.column])).toEqual([
      [101, 'Date'],
      [4001, 'Amount'],
    ]);
    expect(await count(who)).toBe(3);

    const error = await refused(who, COMMIT, { input: csvInput(who.account, content) });
    expect(error.extensions).toMatchObject({ field: 'file', line: 101, column: 'Date' });
    expect(error.message).toMatch(/line 101, column Date/);

    const committed = (
      await who.client.data(COMMIT, { input: csvInput(who.account, content), skipRefused: true })
    ).commitImport;
    expect(committed).toMatchObject({
      createdCount: 4_995,
      duplicateCount: 3,
      refusedCount: 2,
      fileName: 'statement.csv',
      format: 'CSV',
    });
    expect(await count(who)).toBe(4_998);
    // Every row is an expense of (i / 100 + 1) + (i % 100) / 100: the balance moved by exactly their sum.
    let cents = 0n;
    rows.forEach((_, i) => {
      if ([10, 2000, 4999, 99, 3999].includes(i)) return;
      cents += BigInt((Math.floor(i / 100) + 1) * 100 + (i % 100));
    });
    const expected = BigInt(Math.round(Number(afterEarlier) * 100)) - cents;
    expect(await balance(who)).toBe(money(expected));
    await expectNoDrift();
  }, 120_000);
});

describe('OFX', () => {
  it('imports the sample statement once: the same file again creates nothing', async () => {
    const who = await person();
    const content = await readFile('examples/import/checking.ofx', 'utf8');
    const input = { accountId: who.account, format: 'OFX', fileName: 'checking.ofx', content };
    const first = (await who.client.data(COMMIT, { input })).commitImport;
    expect(first.createdCount).toBeGreaterThan(5);
    expect(first.duplicateCount).toBe(0);
    const balanceAfter = await balance(who);
    const second = (await who.client.data(COMMIT, { input })).commitImport;
    expect(second).toMatchObject({ createdCount: 0, duplicateCount: first.createdCount, refusedCount: 0 });
    expect(await count(who)).toBe(first.createdCount);
    expect(await balance(who)).toBe(balanceAfter);
    await expectNoDrift();
  });
});

describe('idempotency by importId', () => {
  it('answers the same import for the same file, and CONFLICT for another file under the same id', async () => {
    const who = await person();
    const importId = crypto.randomUUID();
    const input = csvInput(
      who.account,
      // Bank ids are free text: spaces, slashes, quotes, braces and backslashes are ids like any other.
      csvOf([`2026-02-01,-5.00,Coffee,Cafe,"A 1/2 {x}, 'q'"`, '2026-02-02,-6.00,Tea,Cafe,B+2 % \\ end']),
    );
    const first = (await who.client.data(COMMIT, { input, importId })).commitImport;
    const again = (await who.client.data(COMMIT, { input, importId })).commitImport;
    expect(again).toEqual(first);
    expect(first.id).toBe(importId);
    expect(await count(who)).toBe(2);
    // Without the importId, the bank ids still recognise every row.
    expect((await who.client.data(COMMIT, { input })).commitImport).toMatchObject({
      createdCount: 0,
      duplicateCount: 2,
    });
    await refused(
      who,
      COMMIT,
      { input: { ...input, content: csvOf(['2026-02-03,-1.00,Other,Cafe,']) }, importId },
      CONFLICT,
    );
    // Another user cannot reuse it either, nor learn anything but that it is taken.
    const other = await person();
    await refused(other, COMMIT, { input: { ...input, accountId: other.account }, importId }, CONFLICT);
  });
});

describe('similar rows without a bank id', () => {
  it('are shown as duplicates of the nearest similar transaction and skipped, unless kept', async () => {
    const who = await person();
    const existing = await createTransaction(who.client, {
      accountId: who.account,
      type: 'EXPENSE',
      amount: '12.50',
      date: '2026-03-02',
      description: 'Tesco Stores',
    });
    const content = csvOf([
      '2026-03-04,-12.50,CARD 4411 TESCO STORES 2231,,', // similar: within 3 days
      '2026-03-09,-12.50,TESCO STORES,,', // 7 days later: new
      '2026-03-02,-12.50,Shell petrol,,', // different text: new
    ]);
    const preview = (await who.client.data(PREVIEW, { input: csvInput(who.account, content) })).previewImport;
    expect(preview).toMatchObject({ newCount: 2, duplicateCount: 1 });
    expect(preview.duplicates[0]).toMatchObject({
      reason: 'SIMILAR',
      row: { line: 2 },
      existing: { id: existing.id },
    });
    const kept = (
      await who.client.data(COMMIT, { input: csvInput(who.account, content, { keepLines: [2] }) })
    ).commitImport;
    expect(kept).toMatchObject({ createdCount: 3, duplicateCount: 0 });
    expect(await count(who)).toBe(4);
  });

  it('a run of identical rows comes in once: the same file again matches each row to its own transaction', async () => {
    const who = await person();
    const content = csvOf(Array.from({ length: 40 }, () => '2026-03-10,-2.00,Parking,,'));
    expect(
      (await who.client.data(COMMIT, { input: csvInput(who.account, content) })).commitImport,
    ).toMatchObject({
      createdCount: 40,
    });
    const again = (await who.client.data(PREVIEW, { input: csvInput(who.account, content) })).previewImport;
    expect(again).toMatchObject({ newCount: 0, duplicateCount: 40 });
    expect(new Set(again.duplicates.map((d: any) => d.existing.id)).size).toBe(40);
  });
});

describe('rules on import', () => {
  it('categorise, tag and rename imported rows by payee, in preview and commit alike', async () => {
    const who = await person();
    const groceries = (await categoriesByName(who.client)).Groceries!;
    await who.client.data(`mutation ($input: CreateRuleInput!) { createRule(input: $input) { id } }`, {
      input: {
        name: 'Tesco',
        conditions: [{ field: 'PAYEE', operator: 'CONTAINS', value: 'tesco' }],
        setCategoryId: groceries,
        addTags: ['food'],
      },
    });
    const content = csvOf([
      '2026-04-01,-30.00,Card purchase,TESCO EXTRA,T1',
      '2026-04-02,-8.00,Card purchase,Boots,T2',
    ]);
    const preview = (await who.client.data(PREVIEW, { input: csvInput(who.account, content) })).previewImport;
    expect(preview.rows.map((r: any) => [r.payee, r.category?.id ?? null, r.tags])).toEqual([
      ['TESCO EXTRA', groceries, ['food']],
      ['Boots', null, []],
    ]);
    await who.client.data(COMMIT, { input: csvInput(who.account, content) });
    const list = await who.client.data(
      `{ transactions(first: 5, sort: { field: DATE, direction: ASC }) { nodes { payee bankId importId category { id } tags } } }`,
    );
    expect(list.transactions.nodes[0]).toMatchObject({
      payee: 'TESCO EXTRA',
      bankId: 'T1',
      category: { id: groceries },
      tags: ['food'],
    });
    expect(list.transactions.nodes[0].importId).toBeTruthy();
  });
});

describe('budgets', () => {
  it('count imported expenses, and an import crossing a threshold alerts once', async () => {
    const who = await person();
    const groceries = (await categoriesByName(who.client)).Groceries!;
    await who.client.data(`mutation ($input: CreateRuleInput!) { createRule(input: $input) { id } }`, {
      input: {
        name: 'Shop',
        conditions: [{ field: 'PAYEE', operator: 'EQUALS', value: 'Shop' }],
        setCategoryId: groceries,
      },
    });
    await createBudget(who.client, {
      name: 'Food',
      amount: '100.00',
      categoryId: groceries,
      alertThresholds: [50, 100],
    });
    const content = csvOf([
      '2026-06-03,-30.00,a,Shop,G1',
      '2026-06-10,-25.00,b,Shop,G2',
      '2026-06-11,-1.00,c,Other,G3',
    ]);
    await who.client.data(COMMIT, { input: csvInput(who.account, content) });
    const alerts = await listAlerts(who.client);
    expect(alerts.map((alert) => [alert.threshold, alert.periodStart, alert.spent])).toEqual([
      [50, '2026-06-01', '55.00'],
    ]);
  });
});

describe('undoImport', () => {
  it('deletes what the import created (edited rows too) and moves the balances back; again changes nothing', async () => {
    const who = await person();
    await createTransaction(who.client, {
      accountId: who.account,
      type: 'INCOME',
      amount: '100.00',
      date: '2026-05-01',
    });
    const before = await balance(who);
    const content = csvOf(['2026-05-02,-10.00,A,,U1', '2026-05-03,-20.00,B,,U2', '2026-05-04,7.25,C,,U3']);
    const done = (await who.client.data(COMMIT, { input: csvInput(who.account, content) })).commitImport;
    expect(done.account.balance).not.toBe(before);
    const list = await who.client.data(
      `{ transactions(first: 5, filter: { search: "B" }) { nodes { id } } }`,
    );
    await who.client.data(
      `mutation ($id: ID!) { updateTransaction(id: $id, input: { amount: "99.00" }) { id } }`,
      {
        id: list.transactions.nodes[0].id,
      },
    );
    const undone = (await who.client.data(UNDO, { id: done.id })).undoImport;
    expect(undone.undoneAt).toBeTruthy();
    expect(undone.account.balance).toBe(before);
    expect(await count(who)).toBe(1);
    expect((await who.client.data(UNDO, { id: done.id })).undoImport.undoneAt).toBe(undone.undoneAt);
    await expectNoDrift();
    // The same file can come in again once undone.
    expect(
      (await who.client.data(COMMIT, { input: csvInput(who.account, content) })).commitImport.createdCount,
    ).toBe(3);
    // Another user's import is unknown.
    const other = await person();
    await refused(other, UNDO, { id: done.id }, NOT_FOUND);
    await refused(other, `query ($id: ID!) { import(id: $id) { id } }`, { id: done.id }, NOT_FOUND);
  });
});

describe('refusals', () => {
  it("another user's account is unknown, an archived one refused", async () => {
    const who = await person();
    const other = await person();
    const archived = (await createAccount(who.client, { name: 'Old' })).id;
    await who.client.data(
      'mutation ($id: ID!) { updateAccount(id: $id, input: { archived: true }) { id } }',
      {
        id: archived,
      },
    );
    const error = await refused(who, COMMIT, { input: csvInput(archived, csvOf(['2026-01-01,-1.00,x,,'])) });
    expect(error.extensions?.field).toBe('accountId');
    await refused(
      who,
      COMMIT,
      { input: csvInput(other.account, csvOf(['2026-01-01,-1.00,x,,'])) },
      NOT_FOUND,
    );
    await refused(
      who,
      PREVIEW,
      { input: csvInput(other.account, csvOf(['2026-01-01,-1.00,x,,'])) },
      NOT_FOUND,
    );
  });

  it.each([
    ['a binary file', '\u0000\u0001\u0002PK\u0003\u0004 binary', {}],
    [
      'a mapping naming no column',
      csvOf(['2026-01-01,-1.00,x,,']),
      { mapping: { ...CSV_MAPPING, amount: 'Betrag' } },
    ],
    ['an unknown date format', csvOf(['2026-01-01,-1.00,x,,']), { dateFormat: 'QQ/ZZ' }],
    ['an open quote', csvOf(['2026-01-01,-1.00,"never closed,,']), {}],
  ])('%s: BAD_USER_INPUT, nothing written', async (_name, content, extra) => {
    const who = await person();
    await refused(who, PREVIEW, { input: csvInput(who.account, content, extra) });
    await refused(who, COMMIT, { input: csvInput(who.account, content, extra) });
  });

  it.each([
    ['a formula-looking cell', '2026-01-01,-1.00,=SUM(A1:A9),,', 'Description'],
    ['thousands separators of another locale', '2026-01-01,"-1.234,56",x,,', 'Amount'],
  ])(
    '%s: the row is refused with its line and column; the commit writes nothing',
    async (_name, row, column) => {
      const who = await person();
      const content = csvOf(['2026-01-02,-2.00,fine,,', row]);
      const preview = (await who.client.data(PREVIEW, { input: csvInput(who.account, content) }))
        .previewImport;
      expect(preview.refused).toEqual([expect.objectContaining({ line: 3, column })]);
      const error = await refused(who, COMMIT, { input: csvInput(who.account, content) });
      expect(error.extensions).toMatchObject({ line: 3, column });
    },
  );

  it('a file above IMPORT_MAX_BYTES (1 MB here) is sent to POST /import', async () => {
    const who = await person();
    const big = csvOf(Array.from({ length: 30_000 }, (_, i) => line(i)));
    const error = await refused(who, COMMIT, { input: csvInput(who.account, big) });
    expect(error.message).toMatch(/POST \/import/);
  });
});

describe('POST /import', () => {
  const post = (token: string | undefined, query: Record<string, string>, body: string | Buffer) =>
    fetch(`${server.origin}/import?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });

  it('streams a large file in, previews and commits it, and refuses what a mutation would', async () => {
    const who = await person('100000');
    const rows = Array.from({ length: 12_000 }, (_, i) => line(i));
    const content = csvOf(rows);
    const query = {
      accountId: who.account,
      format: 'csv',
      mapping: JSON.stringify(CSV_MAPPING),
      fileName: 'big.csv',
    };
    expect((await post(undefined, query, content)).status).toBe(401);

    const preview = await post(who.token, { ...query, preview: 'true' }, content);
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as any).preview).toMatchObject({
      rowCount: 12_000,
      newCount: 12_000,
      duplicateCount: 0,
    });
    expect(await count(who)).toBe(0);

    const committed = await post(who.token, query, content);
    expect(committed.status).toBe(200);
    const body = ((await committed.json()) as any).import;
    expect(body).toMatchObject({
      createdCount: 12_000,
      fileName: 'big.csv',
      format: 'CSV',
      accountId: who.account,
    });
    expect(await count(who)).toBe(12_000);
    const imports = (await who.client.data(IMPORTS)).imports;
    expect(imports[0].id).toBe(body.id);
    await expectNoDrift();

    const bad = await post(who.token, { ...query, mapping: '{"date":"Nope","amount":"Amount"}' }, content);
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as any).errors[0];
    expect(error.extensions).toMatchObject({ code: BAD_USER_INPUT, line: 1 });
    const other = await person();
    expect((await post(other.token, query, content)).status).toBe(404);
    const unknownFormat = await post(who.token, { ...query, format: 'xls' }, content);
    expect(((await unknownFormat.json()) as any).errors[0].extensions).toMatchObject({
      code: BAD_USER_INPUT,
      field: 'format',
    });
  }, 120_000);

  it('refuses a body above IMPORT_UPLOAD_MAX_BYTES (12 MB here) with 413', async () => {
    const who = await person();
    const response = await post(
      who.token,
      { accountId: who.account, format: 'OFX' },
      Buffer.alloc(13 * 1024 * 1024, 'x'),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions).toMatchObject({
      code: BAD_USER_INPUT,
      field: 'file',
    });
    expect(await count(who)).toBe(0);
  });

  it('refuses a streamed body (no Content-Length) above IMPORT_UPLOAD_MAX_BYTES with 413 too', async () => {
    const who = await person();
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const body = new ReadableStream({
      pull(controller) {
        for (let i = 0; i < 13; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${server.origin}/import?accountId=${who.account}&format=OFX`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.token}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await count(who)).toBe(0);
  });

  it('a 10 MB line is refused naming its line', async () => {
    const who = await person();
    const content = csvOf(['2026-01-01,-1.00,ok,,', `2026-01-02,-1.00,${'x'.repeat(10 * 1024 * 1024)},,`]);
    const response = await post(
      who.token,
      { accountId: who.account, format: 'CSV', mapping: JSON.stringify(CSV_MAPPING) },
      content,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions).toMatchObject({
      code: BAD_USER_INPUT,
      line: 3,
    });
    expect(await count(who)).toBe(0);
  }, 60_000);

  it('is UNAUTHENTICATED with a bad token', async () => {
    const response = await post('nope', { accountId: crypto.randomUUID(), format: 'CSV' }, 'x');
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe(UNAUTHENTICATED);
  });
});
