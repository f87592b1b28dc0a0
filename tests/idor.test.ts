/**
 * Another user's id behaves exactly like an id that does not exist: NOT_FOUND, with the same
 * message as for a random unknown UUID and for a malformed id, and nothing of the owner changes.
 * User B tries every query and mutation of the contract that takes an id with user A's ids.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLClient } from './helpers/graphql.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const TX_FIELDS =
  'id type amount date description tags account { id } transferAccount { id } category { id }';
const ACCOUNT_FIELDS = 'id name type currency openingBalance balance archived';
const CATEGORY_FIELDS = 'id name kind color parent { id }';

const Q = {
  account: `query ($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`,
  category: `query ($id: ID!) { category(id: $id) { ${CATEGORY_FIELDS} } }`,
  transaction: `query ($id: ID!) { transaction(id: $id) { ${TX_FIELDS} } }`,
  transactions: `query ($filter: TransactionFilter) { transactions(filter: $filter, first: 100) { totalCount nodes { id } } }`,
  createAccount: `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { ${ACCOUNT_FIELDS} } }`,
  updateAccount: `mutation ($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { ${ACCOUNT_FIELDS} } }`,
  deleteAccount: 'mutation ($id: ID!) { deleteAccount(id: $id) }',
  createCategory: `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { ${CATEGORY_FIELDS} } }`,
  updateCategory: `mutation ($id: ID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { ${CATEGORY_FIELDS} } }`,
  deleteCategory: 'mutation ($id: ID!) { deleteCategory(id: $id) }',
  createTransaction: `mutation ($input: CreateTransactionInput!, $key: String) { createTransaction(input: $input, idempotencyKey: $key) { ${TX_FIELDS} } }`,
  updateTransaction: `mutation ($id: ID!, $input: UpdateTransactionInput!) { updateTransaction(id: $id, input: $input) { ${TX_FIELDS} } }`,
  deleteTransaction: 'mutation ($id: ID!) { deleteTransaction(id: $id) }',
};

/** Everything a user owns, as the user sees it (first: 100 keeps under the query cost limit). */
async function snapshot(client: GraphQLClient) {
  const [accounts, categories, transactions] = await Promise.all([
    client.data(`{ accounts(includeArchived: true) { ${ACCOUNT_FIELDS} createdAt } }`),
    client.data(`{ categories { ${CATEGORY_FIELDS} } }`),
    client.data(
      `{ transactions(first: 100, sort: { field: CREATED_AT, direction: ASC }) { totalCount nodes { ${TX_FIELDS} createdAt updatedAt } } }`,
    ),
  ]);
  return { accounts, categories, transactions };
}

async function user(currency?: string): Promise<GraphQLClient> {
  const registered = await registerUser(server.client(), currency ? { currency } : {});
  return server.client(registered.accessToken);
}

async function categoryId(client: GraphQLClient, name: string): Promise<string> {
  const data = await client.data('{ categories { id name } }');
  return data.categories.find((c: { name: string }) => c.name === name).id;
}

interface World {
  a: GraphQLClient;
  b: GraphQLClient;
  /** A's ids. */
  A: {
    account: string;
    savings: string;
    euro: string;
    unused: string;
    archived: string;
    category: string;
    child: string;
    incomeCategory: string;
    transaction: string;
    transfer: string;
  };
  /** B's own ids, used as the valid half of mixed requests. */
  B: { account: string; savings: string; category: string; incomeCategory: string; transaction: string };
}

async function world(): Promise<World> {
  const a = await user();
  const b = await user();
  const make = async (client: GraphQLClient, input: Record<string, unknown>) =>
    (await client.data(Q.createAccount, { input: { type: 'CHECKING', ...input } })).createAccount.id;
  const account = await make(a, { name: 'A main', openingBalance: '1000' });
  const savings = await make(a, { name: 'A savings', openingBalance: '10' });
  const euro = await make(a, { name: 'A euro', currency: 'EUR' });
  const unused = await make(a, { name: 'A unused' });
  const archived = await make(a, { name: 'A archived' });
  await a.data(Q.updateAccount, { id: archived, input: { archived: true } });
  const category = (await a.data(Q.createCategory, { input: { name: 'A pets', kind: 'EXPENSE' } }))
    .createCategory.id;
  const child = (
    await a.data(Q.createCategory, { input: { name: 'A vet', kind: 'EXPENSE', parentId: category } })
  ).createCategory.id;
  const incomeCategory = await categoryId(a, 'Salary');
  const transaction = (
    await a.data(Q.createTransaction, {
      input: {
        accountId: account,
        type: 'EXPENSE',
        amount: '12.34',
        date: '2026-01-10',
        categoryId: category,
      },
    })
  ).createTransaction.id;
  const transfer = (
    await a.data(Q.createTransaction, {
      input: {
        accountId: account,
        type: 'TRANSFER',
        amount: '100',
        date: '2026-01-11',
        transferAccountId: savings,
      },
    })
  ).createTransaction.id;

  const bAccount = await make(b, { name: 'B main', openingBalance: '50' });
  const bSavings = await make(b, { name: 'B savings' });
  const bCategory = (await b.data(Q.createCategory, { input: { name: 'B pets', kind: 'EXPENSE' } }))
    .createCategory.id;
  const bIncome = await categoryId(b, 'Salary');
  const bTransaction = (
    await b.data(Q.createTransaction, {
      input: { accountId: bAccount, type: 'EXPENSE', amount: '5', date: '2026-01-12', categoryId: bCategory },
    })
  ).createTransaction.id;
  return {
    a,
    b,
    A: { account, savings, euro, unused, archived, category, child, incomeCategory, transaction, transfer },
    B: {
      account: bAccount,
      savings: bSavings,
      category: bCategory,
      incomeCategory: bIncome,
      transaction: bTransaction,
    },
  };
}

const MALFORMED = 'not-a-uuid';

/**
 * Sends the operation with the foreign id, a random unknown UUID and a malformed id: each must be
 * NOT_FOUND with the same message, the same extensions and no data; nothing may leak the difference.
 */
async function expectSameNotFound(
  w: World,
  label: string,
  query: string,
  variables: (id: string) => Record<string, unknown>,
  foreignId: string,
): Promise<void> {
  const answers = [];
  for (const id of [foreignId, randomUUID(), MALFORMED]) {
    const result = await w.b.request(query, variables(id));
    const error = result.errors?.[0];
    const shown = `${label} with ${id === foreignId ? "A's id" : id}: ${JSON.stringify(result)}`;
    expect.soft(result.errors ?? [], shown).toHaveLength(1);
    expect.soft(error?.extensions?.code, shown).toBe('NOT_FOUND');
    expect.soft(JSON.stringify(result), shown).not.toContain(foreignId);
    if (result.data)
      expect
        .soft(
          Object.values(result.data).every((v) => v === null),
          shown,
        )
        .toBe(true);
    answers.push({
      message: error?.message,
      extensions: error?.extensions,
      path: error?.path,
      data: result.data,
    });
  }
  expect.soft(answers[0], `${label}: A's id vs unknown UUID`).toEqual(answers[1]);
  expect.soft(answers[0], `${label}: A's id vs malformed id`).toEqual(answers[2]);
}

describe("another user's ids", () => {
  it('are NOT_FOUND everywhere, like unknown and malformed ids, and change nothing', async () => {
    const w = await world();
    const { A, B } = w;
    const aBefore = await snapshot(w.a);
    const bBefore = await snapshot(w.b);
    const date = '2026-01-20';

    const cases: [string, string, (id: string) => Record<string, unknown>, string][] = [
      // Queries.
      ['account', Q.account, (id) => ({ id }), A.account],
      ['account (archived)', Q.account, (id) => ({ id }), A.archived],
      ['category', Q.category, (id) => ({ id }), A.category],
      ['category (starter)', Q.category, (id) => ({ id }), A.incomeCategory],
      ['transaction', Q.transaction, (id) => ({ id }), A.transaction],
      ['transaction (transfer)', Q.transaction, (id) => ({ id }), A.transfer],
      ['transactions accountIds', Q.transactions, (id) => ({ filter: { accountIds: [id] } }), A.account],
      [
        'transactions accountIds mixed',
        Q.transactions,
        (id) => ({ filter: { accountIds: [B.account, id] } }),
        A.account,
      ],
      [
        'transactions accountIds (transfer side)',
        Q.transactions,
        (id) => ({ filter: { accountIds: [id] } }),
        A.savings,
      ],
      ['transactions categoryIds', Q.transactions, (id) => ({ filter: { categoryIds: [id] } }), A.category],
      [
        'transactions categoryIds mixed',
        Q.transactions,
        (id) => ({ filter: { categoryIds: [id, B.category] } }),
        A.category,
      ],

      // Accounts.
      [
        'updateAccount',
        Q.updateAccount,
        (id) => ({ id, input: { name: 'Hacked', archived: true } }),
        A.account,
      ],
      ['updateAccount (archived)', Q.updateAccount, (id) => ({ id, input: { archived: false } }), A.archived],
      ['deleteAccount (with transactions)', Q.deleteAccount, (id) => ({ id }), A.account],
      ['deleteAccount (transfer side)', Q.deleteAccount, (id) => ({ id }), A.savings],
      ['deleteAccount (unused)', Q.deleteAccount, (id) => ({ id }), A.unused],

      // Categories.
      [
        'updateCategory',
        Q.updateCategory,
        (id) => ({ id, input: { name: 'Hacked', color: '#000' } }),
        A.category,
      ],
      [
        'updateCategory parentId',
        Q.updateCategory,
        (id) => ({ id: B.category, input: { parentId: id } }),
        A.category,
      ],
      [
        'updateCategory parentId (other kind)',
        Q.updateCategory,
        (id) => ({ id: B.category, input: { parentId: id } }),
        A.incomeCategory,
      ],
      ['deleteCategory', Q.deleteCategory, (id) => ({ id }), A.category],
      ['deleteCategory (child)', Q.deleteCategory, (id) => ({ id }), A.child],
      [
        'createCategory parentId',
        Q.createCategory,
        (id) => ({ input: { name: 'Sneaky', kind: 'EXPENSE', parentId: id } }),
        A.category,
      ],
      [
        'createCategory parentId (other kind)',
        Q.createCategory,
        (id) => ({ input: { name: 'Sneaky', kind: 'INCOME', parentId: id } }),
        A.category,
      ],

      // Transactions.
      [
        'createTransaction accountId',
        Q.createTransaction,
        (id) => ({ input: { accountId: id, type: 'INCOME', amount: '1', date } }),
        A.account,
      ],
      [
        'createTransaction accountId (archived)',
        Q.createTransaction,
        (id) => ({ input: { accountId: id, type: 'INCOME', amount: '1', date } }),
        A.archived,
      ],
      [
        'createTransaction accountId with key',
        Q.createTransaction,
        (id) => ({ input: { accountId: id, type: 'EXPENSE', amount: '1', date }, key: `k-${id}` }),
        A.account,
      ],
      [
        'createTransaction accountId (transfer from A to B)',
        Q.createTransaction,
        (id) => ({
          input: { accountId: id, type: 'TRANSFER', amount: '1', date, transferAccountId: B.account },
        }),
        A.account,
      ],
      [
        'createTransaction transferAccountId',
        Q.createTransaction,
        (id) => ({
          input: { accountId: B.account, type: 'TRANSFER', amount: '1', date, transferAccountId: id },
        }),
        A.account,
      ],
      [
        'createTransaction transferAccountId (other currency)',
        Q.createTransaction,
        (id) => ({
          input: { accountId: B.account, type: 'TRANSFER', amount: '1', date, transferAccountId: id },
        }),
        A.euro,
      ],
      [
        'createTransaction transferAccountId (archived)',
        Q.createTransaction,
        (id) => ({
          input: { accountId: B.account, type: 'TRANSFER', amount: '1', date, transferAccountId: id },
        }),
        A.archived,
      ],
      [
        'createTransaction categoryId',
        Q.createTransaction,
        (id) => ({ input: { accountId: B.account, type: 'EXPENSE', amount: '1', date, categoryId: id } }),
        A.category,
      ],
      [
        'createTransaction categoryId (other kind)',
        Q.createTransaction,
        (id) => ({ input: { accountId: B.account, type: 'EXPENSE', amount: '1', date, categoryId: id } }),
        A.incomeCategory,
      ],
      ['updateTransaction', Q.updateTransaction, (id) => ({ id, input: { amount: '99999' } }), A.transaction],
      [
        'updateTransaction (transfer)',
        Q.updateTransaction,
        (id) => ({ id, input: { type: 'INCOME', accountId: B.account } }),
        A.transfer,
      ],
      [
        'updateTransaction accountId',
        Q.updateTransaction,
        (id) => ({ id: B.transaction, input: { accountId: id } }),
        A.account,
      ],
      [
        'updateTransaction transferAccountId',
        Q.updateTransaction,
        (id) => ({ id: B.transaction, input: { type: 'TRANSFER', transferAccountId: id } }),
        A.account,
      ],
      [
        'updateTransaction transferAccountId (other currency)',
        Q.updateTransaction,
        (id) => ({ id: B.transaction, input: { type: 'TRANSFER', transferAccountId: id } }),
        A.euro,
      ],
      [
        'updateTransaction categoryId',
        Q.updateTransaction,
        (id) => ({ id: B.transaction, input: { categoryId: id } }),
        A.category,
      ],
      [
        'updateTransaction categoryId (other kind)',
        Q.updateTransaction,
        (id) => ({ id: B.transaction, input: { categoryId: id } }),
        A.incomeCategory,
      ],
      ['deleteTransaction', Q.deleteTransaction, (id) => ({ id }), A.transaction],
      ['deleteTransaction (transfer)', Q.deleteTransaction, (id) => ({ id }), A.transfer],
    ];

    for (const [label, query, variables, foreignId] of cases) {
      await expectSameNotFound(w, label, query, variables, foreignId);
    }

    // Nothing of A changed, and nothing of B either (no half-written transaction or category).
    expect(await snapshot(w.a)).toEqual(aBefore);
    expect(await snapshot(w.b)).toEqual(bBefore);
    // A still reaches all of it.
    for (const id of [A.account, A.savings, A.unused, A.archived]) {
      expect((await w.a.data(Q.account, { id })).account.id).toBe(id);
    }
    expect((await w.a.data(Q.transaction, { id: A.transaction })).transaction.category).toEqual({
      id: A.category,
    });
    expect((await w.a.data(Q.category, { id: A.child })).category.parent).toEqual({ id: A.category });
  });

  it("never shows A's objects in B's lists", async () => {
    const w = await world();
    const mine = await snapshot(w.b);
    const theirs = await snapshot(w.a);
    const ids = (s: any) => [
      ...s.accounts.accounts.map((x: any) => x.id),
      ...s.categories.categories.map((x: any) => x.id),
      ...s.transactions.transactions.nodes.map((x: any) => x.id),
    ];
    const overlap = ids(mine).filter((id: string) => ids(theirs).includes(id));
    expect(overlap).toEqual([]);
    expect(mine.transactions.transactions.totalCount).toBe(1);
    expect(mine.accounts.accounts).toHaveLength(2);
  });

  it("keeps A's balances exact after B's attempts (independent BigInt check)", async () => {
    const w = await world();
    const { A, B } = w;
    const date = '2026-01-20';
    for (let i = 0; i < 3; i++) {
      await w.b.request(Q.createTransaction, {
        input: { accountId: B.account, type: 'TRANSFER', amount: '1000', date, transferAccountId: A.account },
      });
      await w.b.request(Q.updateTransaction, { id: A.transfer, input: { amount: '0.01' } });
      await w.b.request(Q.deleteTransaction, { id: A.transaction });
    }
    // A: main 1000 - 12.34 - 100; savings 10 + 100; others 0.
    const cents = (s: string) => BigInt(s.replace('.', ''));
    const expected = new Map<string, bigint>([
      [A.account, cents('1000.00') - cents('12.34') - cents('100.00')],
      [A.savings, cents('10.00') + cents('100.00')],
      [A.euro, 0n],
      [A.unused, 0n],
      [A.archived, 0n],
    ]);
    const data = await w.a.data('{ accounts(includeArchived: true) { id balance } }');
    const actual = new Map<string, bigint>(data.accounts.map((x: any) => [x.id, cents(x.balance)]));
    expect(actual).toEqual(expected);
    const bData = await w.b.data('{ accounts(includeArchived: true) { id balance } }');
    expect(new Map(bData.accounts.map((x: any) => [x.id, cents(x.balance)]))).toEqual(
      new Map([
        [B.account, cents('50.00') - cents('5.00')],
        [B.savings, 0n],
      ]),
    );
  });
});
