import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { balances, categoryId, createAccount, createTransaction } from './helpers/ledger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('ledger basics', () => {
  it('moves balances for income, expense, transfer, update and delete', async () => {
    const user = await registerUser(server.client());
    const client = server.client(user.accessToken);
    const checking = await createAccount(client, { openingBalance: '100.5' });
    const savings = await createAccount(client, { name: 'Savings', type: 'SAVINGS', openingBalance: '-20' });
    expect(checking.balance).toBe('100.50');
    const groceries = await categoryId(client, 'Groceries');
    const expense = await createTransaction(client, {
      accountId: checking.id,
      type: 'EXPENSE',
      amount: '10.25',
      categoryId: groceries,
      tags: ['food', 'food', ' weekly '],
    });
    expect(expense).toMatchObject({ amount: '10.25', date: '2026-01-15', tags: ['food', 'weekly'] });
    expect(expense.account.id).toBe(checking.id);
    expect(expense.category.id).toBe(groceries);
    await createTransaction(client, { accountId: checking.id, type: 'INCOME', amount: '1000' });
    const transfer = await createTransaction(client, {
      accountId: checking.id,
      type: 'TRANSFER',
      amount: '50',
      transferAccountId: savings.id,
    });
    expect(await balances(client)).toEqual({ [checking.id]: '1040.25', [savings.id]: '30.00' });

    const updated = await client.data(
      `mutation ($id: ID!) { updateTransaction(id: $id, input: { type: EXPENSE, amount: "5" }) { type amount transferAccount { id } category { id } } }`,
      { id: transfer.id },
    );
    expect(updated.updateTransaction).toEqual({
      type: 'EXPENSE',
      amount: '5.00',
      transferAccount: null,
      category: null,
    });
    expect(await balances(client)).toEqual({ [checking.id]: '1085.25', [savings.id]: '-20.00' });

    await client.data('mutation ($id: ID!) { deleteTransaction(id: $id) }', { id: expense.id });
    expect(await balances(client)).toEqual({ [checking.id]: '1095.50', [savings.id]: '-20.00' });

    const page = await client.data(
      '{ transactions(first: 1) { totalCount nodes { amount } pageInfo { hasNextPage endCursor } } }',
    );
    expect(page.transactions.totalCount).toBe(2);
    expect(page.transactions.pageInfo.hasNextPage).toBe(true);
    const next = await client.data(
      'query ($after: String) { transactions(first: 1, after: $after) { nodes { amount } pageInfo { hasNextPage } } }',
      { after: page.transactions.pageInfo.endCursor },
    );
    expect(next.transactions.pageInfo.hasNextPage).toBe(false);
  });
});
