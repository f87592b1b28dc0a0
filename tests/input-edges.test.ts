import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget } from './helpers/budgets.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { BUDGET_STATUS, CREATE_TRANSACTION, DELETE_BUDGET } from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

/**
 * Input a user can send at the edges of what the API accepts: a clear BAD_USER_INPUT or a right
 * answer, never INTERNAL_SERVER_ERROR and never a write whose answer then fails.
 */

const STATUS = 'periodStart periodEnd spent available remaining';
const MONTHLY_REPORT = `query ($month: Month!) { monthlyReport(month: $month) { income expenses budgets { status { ${STATUS} } } } }`;
const PAGE = `query ($after: String, $filter: TransactionFilter) {
  transactions(first: 10, after: $after, sort: { field: CREATED_AT, direction: DESC }, filter: $filter) { totalCount }
}`;

let server: TestServer;
let client: GraphQLClient;
let account: string;
const budgets: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ maxAccounts: 4, maxBudgets: 5 });
  const user = await registerUser(server.client());
  client = server.client(user.accessToken);
  account = (await createAccount(client, { openingBalance: '1000' })).id;
  for (const period of ['WEEKLY', 'MONTHLY', 'YEARLY'] as const) {
    budgets[period] = (
      await createBudget(client, { amount: '100', period, startDate: '2026-01-15', rollover: true })
    ).id;
  }
});
afterAll(() => server?.close());

const errorOf = async (query: string, variables: Record<string, unknown>) =>
  (await client.request(query, variables)).errors?.[0]?.extensions;

describe('the supported date range, 1900-01-01..9999-12-31', () => {
  it.each(['0001-01-01', '0000-12-31', '1899-12-31', '10000-01-01'])(
    'refuses the date %s with BAD_USER_INPUT naming the field',
    async (date) => {
      expect(
        await errorOf(CREATE_TRANSACTION, {
          input: { accountId: account, type: 'EXPENSE', amount: '1', date },
        }),
      ).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'date',
      });
      expect(await errorOf(BUDGET_STATUS, { id: budgets.WEEKLY, date })).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'date',
      });
    },
  );

  it.each(['0001-01', '1899-12', '10000-01'])('refuses the month %s', async (month) => {
    expect(await errorOf(MONTHLY_REPORT, { month })).toEqual({ code: 'BAD_USER_INPUT', field: 'month' });
  });

  it('takes expenses on the first and last days while budgets of every kind exist', async () => {
    for (const date of ['1900-01-01', '9999-12-31']) {
      const created = await client.data(CREATE_TRANSACTION, {
        input: { accountId: account, type: 'EXPENSE', amount: '150', date },
      });
      expect(created.createTransaction.date).toBe(date);
    }
    const moved = await createTransaction(client, { accountId: account, type: 'EXPENSE', amount: '1' });
    const updated = await client.data(
      'mutation ($id: ID!) { updateTransaction(id: $id, input: { date: "9999-12-30" }) { date } }',
      { id: moved.id },
    );
    expect(updated.updateTransaction.date).toBe('9999-12-30');
  });

  it('cuts the periods at the ends of the range (as Budget.startDate describes)', async () => {
    const expected: Record<string, { first: string; last: string }> = {
      // Anchored on 2026-01-15, a Thursday: 1900-01-01 is a Monday, 9999-12-31 a Friday.
      WEEKLY: { first: '1900-01-03', last: '9999-12-30' },
      MONTHLY: { first: '1900-01-14', last: '9999-12-15' },
      YEARLY: { first: '1900-01-14', last: '9999-01-15' },
    };
    for (const [period, id] of Object.entries(budgets)) {
      const first = (await client.data(BUDGET_STATUS, { id, date: '1900-01-01' })).budget.status;
      expect(first).toMatchObject({
        periodStart: '1900-01-01',
        periodEnd: expected[period]!.first,
        spent: '150.00',
      });
      const last = (await client.data(BUDGET_STATUS, { id, date: '9999-12-31' })).budget.status;
      expect(last).toMatchObject({ periodStart: expected[period]!.last, periodEnd: '9999-12-31' });
    }
    for (const month of ['1900-01', '9999-12']) {
      const report = await client.data(MONTHLY_REPORT, { month });
      expect(report.monthlyReport.expenses).not.toBe('0.00');
      expect(report.monthlyReport.budgets).toHaveLength(3);
    }
  });

  it('creates a budget starting on the last day and answers with its status (no write then null)', async () => {
    const created = await client.request(
      `mutation { createBudget(input: { amount: "10", period: YEARLY, startDate: "9999-12-31", rollover: true }) {
         id status(date: "9999-12-31") { ${STATUS} } history(periods: 3) { periodStart } } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBudget.status).toMatchObject({
      periodStart: '9999-12-31',
      periodEnd: '9999-12-31',
    });
    await client.data(DELETE_BUDGET, { id: created.data!.createBudget.id });
  });

  it('refuses a forged CREATED_AT cursor in year 0', async () => {
    const cursor = Buffer.from(
      JSON.stringify(['CREATED_AT', '0000-06-01T00:00:00.000000Z', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');
    expect(await errorOf(PAGE, { after: cursor })).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('sums past one amount column', () => {
  it('keeps taking expenses after a budget period sums beyond 999,999,999,999,999.99', async () => {
    const someone = server.client((await registerUser(server.client())).accessToken);
    const huge = '999999999999999.99';
    // Only the second expense reaches 150%: its alert stores a sum no amount column could hold.
    await createBudget(someone, {
      amount: huge,
      period: 'MONTHLY',
      startDate: '2030-03-01',
      alertThresholds: [150],
    });
    const accounts = [
      (await createAccount(someone, { name: 'One' })).id,
      (await createAccount(someone, { name: 'Two' })).id,
    ];
    for (const accountId of accounts) {
      await createTransaction(someone, { accountId, type: 'EXPENSE', amount: huge, date: '2030-03-03' });
    }
    await createTransaction(someone, {
      accountId: accounts[1],
      type: 'INCOME',
      amount: huge,
      date: '2030-03-04',
    });
    await createTransaction(someone, {
      accountId: accounts[1],
      type: 'EXPENSE',
      amount: '1',
      date: '2030-03-05',
    });
    const alerts = await someone.data('{ budgetAlerts { threshold spent available } }');
    expect(alerts.budgetAlerts).toEqual([{ threshold: 150, spent: '1999999999999999.98', available: huge }]);
  });
});

describe('variables', () => {
  it('more than 50 bad values in one variable: every error is BAD_USER_INPUT', async () => {
    const result = await client.request(PAGE, {
      filter: { categoryIds: Array.from({ length: 60 }, () => null) },
    });
    expect(result.status).toBe(400);
    expect(result.errors!.length).toBeGreaterThan(50);
    expect(new Set(result.errors!.map((error) => error.extensions?.code))).toEqual(
      new Set(['BAD_USER_INPUT']),
    );
  });
});

describe('ids', () => {
  it('are UUIDs in any case: the same account in upper and lower case is one account', async () => {
    const upper = account.toUpperCase();
    const page = await client.data(PAGE, { filter: { accountIds: [account, upper] } });
    expect(page.transactions.totalCount).toBeGreaterThan(0);
    const created = await client.data(CREATE_TRANSACTION, {
      input: { accountId: upper, type: 'INCOME', amount: '5', date: '2026-02-02' },
    });
    expect(created.createTransaction.id).toBeDefined();
  });
});

describe('per-user bounds', () => {
  it('refuses one account and one budget more than MAX_ACCOUNTS and MAX_BUDGETS, even when created at once', async () => {
    const someone = server.client((await registerUser(server.client())).accessToken);
    const accounts = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        someone.request('mutation ($n: String!) { createAccount(input: { name: $n, type: CASH }) { id } }', {
          n: `A${i}`,
        }),
      ),
    );
    expect(accounts.filter((r) => !r.errors)).toHaveLength(4);
    for (const refused of accounts.filter((r) => r.errors)) {
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.message).toMatch(/at most 4 accounts/);
    }
    for (let i = 0; i < 5; i++) await createBudget(someone, { amount: '10', period: 'MONTHLY' });
    const sixth = await someone.request(
      'mutation { createBudget(input: { amount: "10", period: MONTHLY }) { id } }',
    );
    expect(sixth.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await someone.data('{ budgets { id } }')).budgets).toHaveLength(5);
  });
});
