import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { categoryId, createAccount, createTransaction } from './helpers/ledger.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { MAX_PREPARED_STATEMENTS, preparedStatementCount } from '../src/db/prepared-rows.js';

// Every SQL statement the ORM sends is logged here, so a request's cost can be counted.
const statements: string[] = [];
let server: TestServer;
let client: GraphQLClient;

const PAGE = `query ($first: Int!) {
  transactions(first: $first) {
    nodes {
      id amount
      account { id name balance }
      transferAccount { id name }
      category { id name parent { id name parent { id name } } }
    }
  }
}`;

/** SQL statements sent while answering one request. */
async function statementsFor(query: string, variables?: Record<string, unknown>): Promise<number> {
  statements.length = 0;
  await client.data(query, variables);
  // eslint-disable-next-line no-control-regex
  const plain = statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
  return plain.filter((line) => /^\[query\] (select|insert|update|delete|with)\b/i.test(line)).length;
}

async function countStatements(first: number): Promise<number> {
  const data = await client.data(PAGE, { first });
  expect(data.transactions.nodes).toHaveLength(first);
  return statementsFor(PAGE, { first });
}

beforeAll(async () => {
  server = await startTestServer(
    {},
    { ormOverrides: { debug: ['query'], logger: (message: string) => statements.push(message) } },
  );
  const user = await registerUser(server.client());
  client = server.client(user.accessToken);
  const accounts = await Promise.all(
    ['A', 'B', 'C'].map((name) => createAccount(client, { name, openingBalance: '1000' })),
  );
  // Nested categories: Food > Groceries-ish > Market, so parents are resolved two levels deep.
  const food = await client.data(
    'mutation { createCategory(input: { name: "Food", kind: EXPENSE }) { id } }',
  );
  const sub = await client.data(
    'mutation ($p: ID!) { createCategory(input: { name: "Market", kind: EXPENSE, parentId: $p }) { id } }',
    { p: food.createCategory.id },
  );
  const categories = [await categoryId(client, 'Groceries'), food.createCategory.id, sub.createCategory.id];
  for (let i = 0; i < 100; i++) {
    const account = accounts[i % 3]!;
    if (i % 4 === 0) {
      await createTransaction(client, {
        accountId: account.id,
        type: 'TRANSFER',
        amount: `${i + 1}.00`,
        transferAccountId: accounts[(i + 1) % 3]!.id,
      });
    } else {
      await createTransaction(client, {
        accountId: account.id,
        type: 'EXPENSE',
        amount: `${i + 1}.10`,
        categoryId: categories[i % 3],
      });
    }
  }
}, 120_000);
afterAll(() => server?.close());

describe('statement count', () => {
  it('a page with nested account, transferAccount and category{parent} costs the same for 5, 50 and 100 rows', async () => {
    const small = await countStatements(5);
    const medium = await countStatements(50);
    const large = await countStatements(100);
    // The page (with its accounts and categories joined), one transferAccount batch, and one
    // category batch per parent level (2 for category { parent { parent } }): bounded by the
    // query's shape, never by its rows.
    // 50 rows surely hold transfers and nested categories (5 may not): proves the counting.
    expect(medium).toBeGreaterThanOrEqual(3);
    for (const count of [small, medium, large]) expect(count).toBeLessThanOrEqual(4);
    expect(large).toBe(medium);
  });

  it('a list page with account and category fields is one statement, with aliases and fragments too', async () => {
    const plain = `{ transactions(first: 50) { nodes { id account { name currency } category { name } } pageInfo { hasNextPage } } }`;
    const shaped = `query { page: transactions(first: 50) { edges { node { ...Row } } } }
      fragment Row on Transaction { id acc: account { ...Acc } cat: category { name color } }
      fragment Acc on Account { name balance }`;
    expect(await statementsFor(plain)).toBe(1);
    expect(await statementsFor(shaped)).toBe(1);
    const { page } = await client.data(shaped);
    expect(page.edges[0].node.acc).toEqual({ name: expect.any(String), balance: expect.any(String) });
  });

  it('prepares a bounded number of statements, however many different selections clients send', async () => {
    const fields = ['id', 'name', 'type', 'currency', 'openingBalance', 'balance', 'archived', 'createdAt'];
    const { accounts } = await client.data(`{ accounts { ${fields.join(' ')} } }`);
    const byId = new Map(accounts.map((account: { id: string }) => [account.id, account]));
    // Each subset of the account's fields is another statement text.
    for (let mask = 1; mask <= MAX_PREPARED_STATEMENTS + 20; mask++) {
      const chosen = fields.filter((_field, bit) => mask & (1 << bit));
      const page = await client.data(
        `{ transactions(first: 2) { nodes { account { id ${chosen.join(' ')} } } } }`,
      );
      for (const { account } of page.transactions.nodes) {
        const full = byId.get(account.id) as Record<string, unknown>;
        expect(account).toEqual(Object.fromEntries(['id', ...chosen].map((field) => [field, full[field]])));
      }
    }
    expect(preparedStatementCount()).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
  });

  it('statuses and histories of every budget, and the dashboard, cost the same for 2 and 20 budgets', async () => {
    const BUDGETS = `{ budgets { id status { spent } history(periods: 3) { spent carriedOver } } }`;
    const DASHBOARD = `{ dashboard { budgets { budget { name } status { spent } } } }`;
    const counts: Record<number, number[]> = {};
    for (const total of [2, 20]) {
      while ((await client.data('{ budgets { id } }')).budgets.length < total) {
        await client.data(
          'mutation { createBudget(input: { amount: "50", period: WEEKLY, rollover: true, startDate: "2025-06-01" }) { id } }',
        );
      }
      counts[total] = [await statementsFor(BUDGETS), await statementsFor(DASHBOARD)];
    }
    // The list (the dashboard: the user's currency, month totals, balance, the list), then one
    // aggregate for all statuses and histories.
    expect(counts[20]).toEqual(counts[2]);
    expect(counts[20]![0]).toBeLessThanOrEqual(2);
    expect(counts[20]![1]).toBeLessThanOrEqual(5);
  });
});
