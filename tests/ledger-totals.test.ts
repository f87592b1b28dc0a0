/**
 * The running totals (ledger_totals) behind budgets, reports and totalCount: kept equal to a
 * recount from the rows through category deletes racing writes, account deletes and the
 * migration that builds them; totalCount from them equals counting the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { categoryId, createAccount, createTransaction } from './helpers/ledger.js';
import {
  CREATE_CATEGORY,
  DELETE_ACCOUNT,
  DELETE_CATEGORY,
  DELETE_TRANSACTION,
} from './helpers/operations.js';
import { prng } from './helpers/random.js';
import { scaled, timeoutFor } from './helpers/scale.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const em = () => server.app.orm.em.fork();

async function signedIn(): Promise<{ client: GraphQLClient; userId: string }> {
  const user = await registerUser(server.client());
  return { client: server.client(user.accessToken), userId: user.id };
}

async function newCategory(client: GraphQLClient, name: string): Promise<string> {
  const data = await client.data(CREATE_CATEGORY, { input: { name, kind: 'EXPENSE' } });
  return data.createCategory.id;
}

const UPDATE =
  'mutation ($id: ID!, $input: UpdateTransactionInput!) { updateTransaction(id: $id, input: $input) { id } }';

describe('running totals', () => {
  it(
    'stay exact when a category is deleted while writes add to it, move to it and move away from it',
    async () => {
      const { client, userId } = await signedIn();
      const accounts = [
        (await createAccount(client, { openingBalance: '5000' })).id,
        (await createAccount(client, { name: 'Card', openingBalance: '5000' })).id,
      ];
      const groceries = await categoryId(client, 'Groceries');
      const doomed = await newCategory(client, 'Doomed');
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const tx = await createTransaction(client, {
          accountId: accounts[i % 2],
          type: 'EXPENSE',
          amount: `${i + 1}.25`,
          date: `2026-0${1 + (i % 3)}-1${i % 9}`,
          categoryId: i % 2 ? doomed : groceries,
        });
        ids.push(tx.id);
      }
      const random = prng(20261202);
      const writes = Array.from({ length: scaled(40) }, (_, i) => {
        const pick = random();
        const id = ids[Math.floor(random() * ids.length)]!;
        if (pick < 0.4) {
          return createTransaction(client, {
            accountId: accounts[i % 2],
            type: 'EXPENSE',
            amount: '3.10',
            date: '2026-02-27',
            categoryId: random() < 0.5 ? doomed : groceries,
          }).catch(() => undefined);
        }
        const categoryId = pick < 0.7 ? doomed : groceries;
        return client.request(UPDATE, { id, input: { categoryId, date: '2026-03-01' } });
      });
      const deleted = client.request(DELETE_CATEGORY, { id: doomed });
      await Promise.all([...writes, deleted]);
      expect((await deleted).errors).toBeUndefined();
      expect(await findTotalsDrift(em(), userId)).toEqual([]);
      expect(await findBalanceDrift(em(), userId)).toEqual([]);

      // Reports read the totals: the deleted category's spending is now uncategorized.
      const report = await client.data(
        '{ monthlyReport(month: "2026-02") { expensesByCategory { category { id } } } }',
      );
      const categories = report.monthlyReport.expensesByCategory.map((row: any) => row.category?.id ?? null);
      expect(categories).not.toContain(doomed);
    },
    timeoutFor(1, 60_000),
  );

  it('let an account whose transactions were all deleted be deleted', async () => {
    const { client, userId } = await signedIn();
    const account = await createAccount(client);
    const other = await createAccount(client, { name: 'Savings' });
    const expense = await createTransaction(client, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '9.99',
    });
    const transfer = await createTransaction(client, {
      accountId: other.id,
      transferAccountId: account.id,
      type: 'TRANSFER',
      amount: '5',
    });
    for (const id of [expense.id, transfer.id]) await client.data(DELETE_TRANSACTION, { id });
    expect(await client.data(DELETE_ACCOUNT, { id: account.id })).toEqual({ deleteAccount: true });
    expect(await findTotalsDrift(em(), userId)).toEqual([]);
  });

  it('are rebuilt from the rows by their migration', async () => {
    const { client, userId } = await signedIn();
    const account = await createAccount(client, { openingBalance: '100' });
    const savings = await createAccount(client, { name: 'Savings' });
    const dining = await categoryId(client, 'Dining');
    for (const [date, type, extra] of [
      ['2025-12-31', 'EXPENSE', { categoryId: dining }],
      ['2026-01-01', 'EXPENSE', {}],
      ['2026-01-01', 'INCOME', {}],
      ['2026-01-31', 'TRANSFER', { transferAccountId: savings.id }],
    ] as const) {
      await createTransaction(client, { accountId: account.id, type, amount: '12.34', date, ...extra });
    }
    const before = await client.data(
      '{ cashflow(from: "2025-12-01", to: "2026-01-31", interval: MONTH) { income expenses } }',
    );

    const migrator = server.app.orm.migrator;
    await migrator.down();
    await migrator.up();

    expect(await findTotalsDrift(em(), userId)).toEqual([]);
    expect(await findTotalsDrift(em())).toEqual([]);
    expect(
      await client.data(
        '{ cashflow(from: "2025-12-01", to: "2026-01-31", interval: MONTH) { income expenses } }',
      ),
    ).toEqual(before);
  });
});

describe('totalCount', () => {
  it('from the totals equals counting the rows, for dates, accounts, categories and types', async () => {
    const { client } = await signedIn();
    const accounts = [
      (await createAccount(client, { openingBalance: '10000' })).id,
      (await createAccount(client, { name: 'Savings', openingBalance: '10000' })).id,
      (await createAccount(client, { name: 'Card', openingBalance: '10000' })).id,
    ];
    const categories = [await categoryId(client, 'Groceries'), await categoryId(client, 'Dining')];
    const salary = await categoryId(client, 'Salary');
    const random = prng(7);
    const dayOf = () => {
      const month = 1 + Math.floor(random() * 4);
      const day = 1 + Math.floor(random() * 28);
      return `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    };
    for (let i = 0; i < scaled(40); i++) {
      const kind = random();
      const accountId = accounts[Math.floor(random() * 3)]!;
      const input =
        kind < 0.6
          ? { type: 'EXPENSE', categoryId: random() < 0.8 ? categories[Math.floor(random() * 2)] : null }
          : kind < 0.8
            ? { type: 'INCOME', categoryId: random() < 0.5 ? salary : null }
            : { type: 'TRANSFER', transferAccountId: accounts.find((id) => id !== accountId) };
      await createTransaction(client, { accountId, amount: `${1 + i}.50`, date: dayOf(), ...input });
    }
    const COUNT = 'query ($f: TransactionFilter) { transactions(first: 1, filter: $f) { totalCount } }';
    const count = async (filter: object) => (await client.data(COUNT, { f: filter })).transactions.totalCount;
    const filters: object[] = [
      {},
      { from: '2026-02-01' },
      { to: '2026-02-28' },
      { from: '2026-01-15', to: '2026-03-14' },
      { from: '2026-02-01', to: '2026-03-31' },
      { from: '2026-03-10', to: '2026-03-10' },
      { from: '2026-04-01', to: '2026-01-01' },
      { accountIds: [accounts[1]] },
      { accountIds: [accounts[0], accounts[2]], from: '2026-02-10' },
      { categoryIds: [categories[0]] },
      { categoryIds: categories, types: ['EXPENSE'], to: '2026-03-20' },
      { types: ['TRANSFER'], accountIds: [accounts[2]] },
      { types: ['INCOME', 'TRANSFER'], from: '2026-01-31', to: '2026-02-01' },
    ];
    for (const filter of filters) {
      const fromTotals = await count(filter);
      // An amount bound matching every row makes the server count the rows instead.
      const fromRows = await count({ ...filter, minAmount: '0.01' });
      expect(fromTotals, JSON.stringify(filter)).toBe(fromRows);
    }
    expect(await count({})).toBe(scaled(40));
  });
});
