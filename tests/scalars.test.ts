/**
 * The Decimal, Date and Month scalars through the public API: what they read, what they refuse
 * (BAD_USER_INPUT naming the field, nothing written) and how they write. Expected balances come
 * from the ledger model (tests/helpers/model/ledger.ts).
 */
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateScalar, DecimalScalar, MonthScalar } from '../src/money/scalars.js';
import { BAD_USER_INPUT } from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { balances } from './helpers/ledger.js';
import { CREATE_TX, createTx, newClient, openAccount } from './helpers/ledger-rules.js';
import { BalanceModel } from './helpers/model/ledger.js';
import { cents, money } from './helpers/model/money.js';
import { CREATE_ACCOUNT, TRANSACTION_IDS } from './helpers/operations.js';
import { label, LONG, refused } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const INVALID_DECIMALS: unknown[] = [
  12.5,
  12,
  0,
  true,
  '1.005',
  '1.000',
  '1e3',
  '1E3',
  '',
  ' ',
  'abc',
  '1,5',
  ' 1',
  '1 ',
  '1.',
  '.5',
  '+1',
  '--1',
  '- 1',
  '1-',
  '1234567890123456',
  '-1234567890123456.00',
  'NaN',
  'Infinity',
  '0x10',
  '١٢',
  '1\u0000',
  LONG,
  ['1'],
  { value: '1' },
];

const INVALID_DATES: unknown[] = [
  '2025-02-30',
  '2023-02-29',
  '1900-02-29',
  '2025-04-31',
  '2025-13-01',
  '2025-00-10',
  '2025-01-00',
  '2025-01-32',
  '2025-1-05',
  '2025-01-5',
  '20250105',
  '2025/01/05',
  '2025-01-05T00:00:00Z',
  ' 2025-01-05',
  '0000-01-01',
  '',
  'abc',
  20250105,
  LONG,
  '2025-01-05\u0000',
];

const rows = (values: unknown[]) => values.map((value) => [label(value), value] as const);

describe('Decimal', () => {
  let client: GraphQLClient;
  let target: { id: string };
  const model = new BalanceModel();
  beforeAll(async () => {
    client = await newClient(server);
    target = await openAccount(client, model, { openingBalance: '50' });
  });

  it('reads strings of up to 15 integer and 2 fraction digits; writes 2 digits', async () => {
    for (const value of [
      '0',
      '7',
      '-3.5',
      '12.34',
      '0.1',
      '-0.01',
      '007.5',
      '999999999999999.99',
      '-999999999999999.99',
      '123456789012345',
    ]) {
      const account = await openAccount(client, model, { openingBalance: value });
      expect(account.openingBalance).toBe(money(cents(value)));
      expect(account.balance).toBe(money(cents(value)));
      expect(account.openingBalance).toMatch(/^-?\d+\.\d{2}$/);
    }
    // The default opening balance is "0".
    const plain = await openAccount(client, model, {});
    expect(plain.openingBalance).toBe('0.00');
    expect(await balances(client)).toEqual(model.expected());
  });

  it.each(rows(INVALID_DECIMALS))('refuses %s as openingBalance and as amount', async (_label, value) => {
    await refused(
      client,
      CREATE_ACCOUNT,
      { input: { name: 'Bad', type: 'CHECKING', openingBalance: value } },
      BAD_USER_INPUT,
      'openingBalance',
    );
    await refused(
      client,
      CREATE_TX,
      { input: { accountId: target.id, type: 'INCOME', amount: value, date: '2026-01-15' } },
      BAD_USER_INPUT,
      'amount',
    );
  });

  it('refuses a bad Decimal in a filter argument of a query, and nothing moved', async () => {
    const filtered = await client.request(TRANSACTION_IDS, { filter: { minAmount: 12.5 } });
    expect(filtered.errors?.[0]?.extensions).toMatchObject({ code: BAD_USER_INPUT, field: 'minAmount' });
    expect(await balances(client)).toEqual(model.expected());
  });
});

describe('literals', () => {
  let client: GraphQLClient;
  let accountId: string;
  beforeAll(async () => {
    client = await newClient(server);
    accountId = (await openAccount(client, undefined)).id;
  });

  const mutation = (operation: string, literal: string) =>
    operation === 'createAccount'
      ? `createAccount(input: { name: "A", type: CHECKING, ${literal} }) { id }`
      : `createTransaction(input: { accountId: "${accountId}", type: INCOME, ${literal} }) { id }`;

  it.each([
    ['openingBalance', 'createAccount', 'openingBalance: 12.5'],
    ['openingBalance', 'createAccount', 'openingBalance: "1.005"'],
    ['openingBalance', 'createAccount', 'openingBalance: "1e3"'],
    ['amount', 'createTransaction', 'amount: 5, date: "2026-01-01"'],
    ['date', 'createTransaction', 'amount: "5", date: "2025-02-30"'],
  ])(
    'refuses a bad %s written inline in %s as BAD_USER_INPUT naming it: %s',
    async (field, operation, literal) => {
      await refused(client, `mutation { ${mutation(operation, literal)} }`, {}, BAD_USER_INPUT, field);
    },
  );
});

describe('Date', () => {
  let client: GraphQLClient;
  let accountId: string;
  const model = new BalanceModel();
  beforeAll(async () => {
    client = await newClient(server);
    accountId = (await openAccount(client, model, { openingBalance: '100' })).id;
  });

  it('reads a real calendar date "YYYY-MM-DD"', async () => {
    for (const date of ['2024-02-29', '2000-02-29', '2025-12-31', '2025-01-01', '1999-04-30']) {
      const tx = await createTx(client, model, { accountId, type: 'EXPENSE', amount: '1', date });
      expect(tx.date).toBe(date);
    }
    expect(await balances(client)).toEqual(model.expected());
  });

  it.each(rows(INVALID_DATES))('refuses %s', async (_label, date) => {
    await refused(
      client,
      CREATE_TX,
      { input: { accountId, type: 'EXPENSE', amount: '1', date } },
      BAD_USER_INPUT,
      'date',
    );
  });

  it('refuses an impossible date in a filter argument', async () => {
    const filtered = await client.request(TRANSACTION_IDS, { filter: { from: '2025-02-30' } });
    expect(filtered.errors?.[0]?.extensions).toMatchObject({ code: BAD_USER_INPUT, field: 'from' });
  });
});

// No operation of the current schema takes a Month yet (reports are not built), so the scalar
// is exercised directly, the way graphql-js calls it for variables and literals.
describe('Month', () => {
  it('reads "YYYY-MM"', () => {
    for (const month of ['2025-01', '2025-12', '1999-06']) {
      expect(MonthScalar.parseValue(month)).toBe(month);
      expect(MonthScalar.parseLiteral({ kind: 'StringValue', value: month } as never, {})).toBe(month);
    }
  });

  it.each(rows(['2025-13', '2025-00', '2025-1', '202501', '2025-01-01', '', 'abc', '0000-01', 202501]))(
    'refuses %s as BAD_USER_INPUT',
    (_label, month) => {
      let error: unknown;
      try {
        MonthScalar.parseValue(month);
      } catch (caught) {
        error = caught;
      }
      expect(error, String(month)).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions.code).toBe(BAD_USER_INPUT);
    },
  );

  it('refuses an Int literal; Decimal writes two digits and Date passes strings through', () => {
    expect(() => MonthScalar.parseLiteral({ kind: 'IntValue', value: '202501' } as never, {})).toThrow(
      GraphQLError,
    );
    expect(DecimalScalar.serialize('12.5000')).toBe('12.50');
    expect(DecimalScalar.serialize('-3.5')).toBe('-3.50');
    expect(DateScalar.serialize('2024-02-29')).toBe('2024-02-29');
  });
});
