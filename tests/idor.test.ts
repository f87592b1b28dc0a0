/**
 * Another user's id behaves exactly like an id that does not exist: NOT_FOUND, with the same
 * message as for a random unknown UUID and for a malformed id, and nothing of the owner changes.
 * User B tries every query and mutation of the contract that takes an id with user A's ids.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_FOUND } from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { categoryId } from './helpers/ledger.js';
import {
  ACCOUNT,
  BALANCES,
  CATEGORY,
  CREATE_ACCOUNT,
  CREATE_CATEGORY,
  CREATE_TRANSACTION,
  DELETE_ACCOUNT,
  DELETE_CATEGORY,
  DELETE_TRANSACTION,
  TRANSACTION,
  TRANSACTION_IDS,
  UPDATE_ACCOUNT,
  UPDATE_CATEGORY,
  UPDATE_TRANSACTION,
} from './helpers/operations.js';
import { cents } from './helpers/model/money.js';
import { snapshot, type Snapshot } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const Q = {
  account: ACCOUNT,
  category: CATEGORY,
  transaction: TRANSACTION,
  transactions: TRANSACTION_IDS,
  createAccount: CREATE_ACCOUNT,
  updateAccount: UPDATE_ACCOUNT,
  deleteAccount: DELETE_ACCOUNT,
  createCategory: CREATE_CATEGORY,
  updateCategory: UPDATE_CATEGORY,
  deleteCategory: DELETE_CATEGORY,
  createTransaction: CREATE_TRANSACTION,
  updateTransaction: UPDATE_TRANSACTION,
  deleteTransaction: DELETE_TRANSACTION,
};

async function user(currency?: string): Promise<GraphQLClient> {
  const registered = await registerUser(server.client(), currency ? { currency } : {});
  return server.client(registered.accessToken);
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
    expect.soft(error?.extensions?.code, shown).toBe(NOT_FOUND);
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

type Ids = World['A'];
/** A label, the operation, its variables with the id under test, and which of A's ids it tries. */
type Case = [string, string, (id: string, B: World['B']) => Record<string, unknown>, keyof Ids];

const date = '2026-01-20';

const CASES: Case[] = [
  // Queries.
  ['account', Q.account, (id) => ({ id }), 'account'],
  ['account (archived)', Q.account, (id) => ({ id }), 'archived'],
  ['category', Q.category, (id) => ({ id }), 'category'],
  ['category (starter)', Q.category, (id) => ({ id }), 'incomeCategory'],
  ['transaction', Q.transaction, (id) => ({ id }), 'transaction'],
  ['transaction (transfer)', Q.transaction, (id) => ({ id }), 'transfer'],
  ['transactions accountIds', Q.transactions, (id) => ({ filter: { accountIds: [id] } }), 'account'],
  [
    'transactions accountIds mixed',
    Q.transactions,
    (id, B) => ({ filter: { accountIds: [B.account, id] } }),
    'account',
  ],
  [
    'transactions accountIds (transfer side)',
    Q.transactions,
    (id) => ({ filter: { accountIds: [id] } }),
    'savings',
  ],
  ['transactions categoryIds', Q.transactions, (id) => ({ filter: { categoryIds: [id] } }), 'category'],
  [
    'transactions categoryIds mixed',
    Q.transactions,
    (id, B) => ({ filter: { categoryIds: [id, B.category] } }),
    'category',
  ],

  // Accounts.
  ['updateAccount', Q.updateAccount, (id) => ({ id, input: { name: 'Hacked', archived: true } }), 'account'],
  ['updateAccount (archived)', Q.updateAccount, (id) => ({ id, input: { archived: false } }), 'archived'],
  ['deleteAccount (with transactions)', Q.deleteAccount, (id) => ({ id }), 'account'],
  ['deleteAccount (transfer side)', Q.deleteAccount, (id) => ({ id }), 'savings'],
  ['deleteAccount (unused)', Q.deleteAccount, (id) => ({ id }), 'unused'],

  // Categories.
  [
    'updateCategory',
    Q.updateCategory,
    (id) => ({ id, input: { name: 'Hacked', color: '#000' } }),
    'category',
  ],
  [
    'updateCategory parentId',
    Q.updateCategory,
    (id, B) => ({ id: B.category, input: { parentId: id } }),
    'category',
  ],
  [
    'updateCategory parentId (other kind)',
    Q.updateCategory,
    (id, B) => ({ id: B.category, input: { parentId: id } }),
    'incomeCategory',
  ],
  ['deleteCategory', Q.deleteCategory, (id) => ({ id }), 'category'],
  ['deleteCategory (child)', Q.deleteCategory, (id) => ({ id }), 'child'],
  [
    'createCategory parentId',
    Q.createCategory,
    (id) => ({ input: { name: 'Sneaky', kind: 'EXPENSE', parentId: id } }),
    'category',
  ],
  [
    'createCategory parentId (other kind)',
    Q.createCategory,
    (id) => ({ input: { name: 'Sneaky', kind: 'INCOME', parentId: id } }),
    'category',
  ],

  // Transactions.
  [
    'createTransaction accountId',
    Q.createTransaction,
    (id) => ({ input: { accountId: id, type: 'INCOME', amount: '1', date } }),
    'account',
  ],
  [
    'createTransaction accountId (archived)',
    Q.createTransaction,
    (id) => ({ input: { accountId: id, type: 'INCOME', amount: '1', date } }),
    'archived',
  ],
  [
    'createTransaction accountId with key',
    Q.createTransaction,
    (id) => ({ input: { accountId: id, type: 'EXPENSE', amount: '1', date }, key: `k-${id}` }),
    'account',
  ],
  [
    'createTransaction accountId (transfer from A to B)',
    Q.createTransaction,
    (id, B) => ({
      input: { accountId: id, type: 'TRANSFER', amount: '1', date, transferAccountId: B.account },
    }),
    'account',
  ],
  [
    'createTransaction transferAccountId',
    Q.createTransaction,
    (id, B) => ({
      input: { accountId: B.account, type: 'TRANSFER', amount: '1', date, transferAccountId: id },
    }),
    'account',
  ],
  [
    'createTransaction transferAccountId (other currency)',
    Q.createTransaction,
    (id, B) => ({
      input: { accountId: B.account, type: 'TRANSFER', amount: '1', date, transferAccountId: id },
    }),
    'euro',
  ],
  [
    'createTransaction transferAccountId (archived)',
    Q.createTransaction,
    (id, B) => ({
      input: { accountId: B.account, type: 'TRANSFER', amount: '1', date, transferAccountId: id },
    }),
    'archived',
  ],
  [
    'createTransaction categoryId',
    Q.createTransaction,
    (id, B) => ({ input: { accountId: B.account, type: 'EXPENSE', amount: '1', date, categoryId: id } }),
    'category',
  ],
  [
    'createTransaction categoryId (other kind)',
    Q.createTransaction,
    (id, B) => ({ input: { accountId: B.account, type: 'EXPENSE', amount: '1', date, categoryId: id } }),
    'incomeCategory',
  ],
  ['updateTransaction', Q.updateTransaction, (id) => ({ id, input: { amount: '99999' } }), 'transaction'],
  [
    'updateTransaction (transfer)',
    Q.updateTransaction,
    (id, B) => ({ id, input: { type: 'INCOME', accountId: B.account } }),
    'transfer',
  ],
  [
    'updateTransaction accountId',
    Q.updateTransaction,
    (id, B) => ({ id: B.transaction, input: { accountId: id } }),
    'account',
  ],
  [
    'updateTransaction transferAccountId',
    Q.updateTransaction,
    (id, B) => ({ id: B.transaction, input: { type: 'TRANSFER', transferAccountId: id } }),
    'account',
  ],
  [
    'updateTransaction transferAccountId (other currency)',
    Q.updateTransaction,
    (id, B) => ({ id: B.transaction, input: { type: 'TRANSFER', transferAccountId: id } }),
    'euro',
  ],
  [
    'updateTransaction categoryId',
    Q.updateTransaction,
    (id, B) => ({ id: B.transaction, input: { categoryId: id } }),
    'category',
  ],
  [
    'updateTransaction categoryId (other kind)',
    Q.updateTransaction,
    (id, B) => ({ id: B.transaction, input: { categoryId: id } }),
    'incomeCategory',
  ],
  ['deleteTransaction', Q.deleteTransaction, (id) => ({ id }), 'transaction'],
  ['deleteTransaction (transfer)', Q.deleteTransaction, (id) => ({ id }), 'transfer'],
];

describe("another user's ids", () => {
  let w: World;
  let aBefore: Snapshot;
  let bBefore: Snapshot;
  beforeAll(async () => {
    w = await world();
    aBefore = await snapshot(w.a);
    bBefore = await snapshot(w.b);
  });

  it.each(CASES)('%s: NOT_FOUND like unknown and malformed ids', async (name, query, variables, foreign) => {
    await expectSameNotFound(w, name, query, (id) => variables(id, w.B), w.A[foreign]);
  });

  it("leave A's and B's data unchanged, and A still reaches all of it", async () => {
    const { A } = w;
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
});

describe("another user's objects", () => {
  it("never shows A's objects in B's lists", async () => {
    const w = await world();
    const mine = await snapshot(w.b);
    const theirs = await snapshot(w.a);
    const ids = (s: Snapshot) => [
      ...s.accounts.map((x) => x.id),
      ...s.categories.map((x) => x.id),
      ...s.transactions.nodes.map((x) => x.id),
    ];
    const overlap = ids(mine).filter((id) => ids(theirs).includes(id));
    expect(overlap).toEqual([]);
    expect(mine.transactions.totalCount).toBe(1);
    expect(mine.accounts).toHaveLength(2);
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
    const expected = new Map<string, bigint>([
      [A.account, cents('1000.00') - cents('12.34') - cents('100.00')],
      [A.savings, cents('10.00') + cents('100.00')],
      [A.euro, 0n],
      [A.unused, 0n],
      [A.archived, 0n],
    ]);
    const data = await w.a.data(BALANCES);
    const actual = new Map<string, bigint>(data.accounts.map((x: any) => [x.id, cents(x.balance)]));
    expect(actual).toEqual(expected);
    const bData = await w.b.data(BALANCES);
    expect(new Map(bData.accounts.map((x: any) => [x.id, cents(x.balance)]))).toEqual(
      new Map([
        [B.account, cents('50.00') - cents('5.00')],
        [B.savings, 0n],
      ]),
    );
  });
});
