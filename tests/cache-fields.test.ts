/**
 * What a write answers is enough for a normalized client cache: every account whose balance it
 * moved (a move includes the account left; a delete both sides), the deleted objects to evict,
 * and the cursor a created row has in a list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { CONFLICT, NOT_FOUND } from './helpers/error-codes.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import {
  CREATE_BUDGET,
  CREATE_CATEGORY,
  createTransactionWith,
  updateTransactionWith,
} from './helpers/operations.js';
import { registerUser } from './helpers/users.js';
import type { GraphQLClient } from './helpers/graphql.js';

const AFFECTED = 'id affectedAccounts { id balance }';
const byId = (accounts: { id: string; balance: string }[]) =>
  Object.fromEntries(accounts.map((account) => [account.id, account.balance]));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function twoAccounts(): Promise<{ client: GraphQLClient; a: string; b: string }> {
  const user = await registerUser(server.client());
  const client = server.client(user.accessToken);
  const a = (await createAccount(client, { name: 'A', openingBalance: '100.00' })).id;
  const b = (await createAccount(client, { name: 'B', openingBalance: '50.00' })).id;
  return { client, a, b };
}

describe('affectedAccounts', () => {
  it('lists both accounts of a move and of a transfer, with balances after the write', async () => {
    const { client, a, b } = await twoAccounts();
    const created = await client.data(createTransactionWith(AFFECTED), {
      input: { type: 'EXPENSE', amount: '10.00', date: '2026-01-15', accountId: a },
    });
    expect(byId(created.createTransaction.affectedAccounts)).toEqual({ [a]: '90.00' });

    const moved = await client.data(updateTransactionWith(AFFECTED), {
      id: created.createTransaction.id,
      input: { accountId: b },
    });
    expect(byId(moved.updateTransaction.affectedAccounts)).toEqual({ [a]: '100.00', [b]: '40.00' });

    const transfer = await client.data(createTransactionWith(AFFECTED), {
      input: { type: 'TRANSFER', amount: '5.00', date: '2026-01-16', accountId: a, transferAccountId: b },
    });
    expect(byId(transfer.createTransaction.affectedAccounts)).toEqual({ [a]: '95.00', [b]: '45.00' });
  });

  it('is empty for a write that moves no balance, and the accounts themselves on a read', async () => {
    const { client, a } = await twoAccounts();
    const created = await createTransaction(client, { type: 'EXPENSE', amount: '10.00', accountId: a });
    const renamed = await client.data(updateTransactionWith(AFFECTED), {
      id: created.id,
      input: { description: 'renamed' },
    });
    expect(renamed.updateTransaction.affectedAccounts).toEqual([]);
    const read = await client.data(`query ($id: ID!) { transaction(id: $id) { ${AFFECTED} } }`, {
      id: created.id,
    });
    expect(byId(read.transaction.affectedAccounts)).toEqual({ [a]: '90.00' });
  });
});

describe('remove* mutations', () => {
  it('removeTransaction answers the row to evict and both balances after', async () => {
    const { client, a, b } = await twoAccounts();
    const transfer = await createTransaction(client, {
      type: 'TRANSFER',
      amount: '30.00',
      accountId: a,
      transferAccountId: b,
    });
    const removed = await client.data(
      'mutation ($id: ID!) { removeTransaction(id: $id) { removed { id typename } affectedAccounts { id balance } } }',
      { id: transfer.id },
    );
    expect(removed.removeTransaction.removed).toEqual({ id: transfer.id, typename: 'Transaction' });
    expect(byId(removed.removeTransaction.affectedAccounts)).toEqual({ [a]: '100.00', [b]: '50.00' });
    const again = await client.request(
      'mutation ($id: ID!) { removeTransaction(id: $id) { removed { id } } }',
      {
        id: transfer.id,
      },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe(NOT_FOUND);
  });

  it("cannot remove another user's objects (NOT_FOUND, nothing deleted)", async () => {
    const owner = await twoAccounts();
    const tx = await createTransaction(owner.client, { type: 'EXPENSE', amount: '1.00', accountId: owner.a });
    const other = server.client((await registerUser(server.client())).accessToken);
    for (const [mutation, id] of [
      ['removeTransaction', tx.id],
      ['removeAccount', owner.b],
    ] as const) {
      const result = await other.request(`mutation ($id: ID!) { ${mutation}(id: $id) { __typename } }`, {
        id,
      });
      expect(result.errors?.[0]?.extensions?.code).toBe(NOT_FOUND);
    }
    const still = await owner.client.data('{ accounts { id } }');
    expect(still.accounts).toHaveLength(2);
  });

  it('removeAccount and removeBudget answer what to evict', async () => {
    const { client, b } = await twoAccounts();
    const budget = await client.data(CREATE_BUDGET, {
      input: { name: 'All', amount: '100.00', period: 'MONTHLY' },
    });
    const account = await client.data('mutation ($id: ID!) { removeAccount(id: $id) { id typename } }', {
      id: b,
    });
    expect(account.removeAccount).toEqual({ id: b, typename: 'Account' });
    const removed = await client.data('mutation ($id: ID!) { removeBudget(id: $id) { id typename } }', {
      id: budget.createBudget.id,
    });
    expect(removed.removeBudget).toEqual({ id: budget.createBudget.id, typename: 'Budget' });
  });

  it('removeCategory answers the category and its budgets to evict and the children moved to its parent', async () => {
    const { client, a } = await twoAccounts();
    const create = async (name: string, parentId?: string) =>
      (await client.data(CREATE_CATEGORY, { input: { name, kind: 'EXPENSE', parentId } })).createCategory.id;
    const top = await create('Home');
    const middle = await create('Utilities', top);
    const leaf = await create('Power', middle);
    const budget = await client.data(CREATE_BUDGET, {
      input: { name: 'Utilities', amount: '80.00', period: 'MONTHLY', categoryId: middle },
    });
    await createTransaction(client, { type: 'EXPENSE', amount: '12.00', accountId: a, categoryId: middle });
    const removed = await client.data(
      `mutation ($id: ID!) { removeCategory(id: $id) {
         removed { id typename } reparented { id parent { id } } } }`,
      { id: middle },
    );
    expect(removed.removeCategory.removed).toEqual([
      { id: middle, typename: 'Category' },
      { id: budget.createBudget.id, typename: 'Budget' },
    ]);
    expect(removed.removeCategory.reparented).toEqual([{ id: leaf, parent: { id: top } }]);
  });
});

describe('removeCategory refused', () => {
  it('is CONFLICT when a child would meet a namesake under the parent, and changes nothing', async () => {
    const { client } = await twoAccounts();
    const create = async (name: string, parentId?: string) =>
      (await client.data(CREATE_CATEGORY, { input: { name, kind: 'EXPENSE', parentId } })).createCategory.id;
    const top = await create('House');
    await create('Power', top);
    const middle = await create('Bills', top);
    const child = await create('Power', middle);
    const result = await client.request(
      'mutation ($id: ID!) { removeCategory(id: $id) { removed { id } } }',
      {
        id: middle,
      },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe(CONFLICT);
    const still = await client.data('query ($id: ID!) { category(id: $id) { parent { id } } }', {
      id: child,
    });
    expect(still.category.parent.id).toBe(middle);
  });
});

describe('cursor', () => {
  it('is the edge cursor the row has in transactions with that sort, for every sort field', async () => {
    const { client, a } = await twoAccounts();
    for (let i = 0; i < 3; i++) {
      await createTransaction(client, {
        type: 'EXPENSE',
        amount: `${i + 1}.00`,
        accountId: a,
        date: `2026-01-1${i}`,
      });
    }
    const created = await client.data(
      createTransactionWith(`id
        byDate: cursor
        byAmount: cursor(sort: { field: AMOUNT, direction: ASC })
        byCreation: cursor(sort: { field: CREATED_AT, direction: DESC })`),
      { input: { type: 'EXPENSE', amount: '2.50', date: '2026-01-11', accountId: a } },
    );
    const row = created.createTransaction;
    for (const [field, direction, cursor] of [
      ['DATE', 'DESC', row.byDate],
      ['AMOUNT', 'ASC', row.byAmount],
      ['CREATED_AT', 'DESC', row.byCreation],
    ]) {
      const page = await client.data(
        `query ($sort: TransactionSort) { transactions(sort: $sort) { edges { cursor node { id } } } }`,
        { sort: { field, direction } },
      );
      const edge = page.transactions.edges.find((e: { node: { id: string } }) => e.node.id === row.id);
      expect(edge.cursor).toBe(cursor);
    }
  });
});
