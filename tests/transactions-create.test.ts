/**
 * Creating transactions through the public API: categories of the right kind, transfers, amounts,
 * string limits, unknown ids and balance overflow. Every refused request is checked for its code
 * (and field), for never being an internal error, and for leaving the user's data exactly as it
 * was (tests/helpers/refusals.ts). Expected balances come from the ledger model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, CONFLICT, NOT_FOUND } from './helpers/error-codes.js';
import { balances } from './helpers/ledger.js';
import { CREATE_TX, createTx, ledgerSetup, openAccount, UPDATE_TX } from './helpers/ledger-rules.js';
import type { TxType } from './helpers/model/ledger.js';
import { DELETE_TRANSACTION, TRANSACTION, TRANSACTION_IDS } from './helpers/operations.js';
import { abbreviate, label, LONG, refused, UNKNOWN_ID } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** A user with accounts and categories (ledgerSetup), shared by the rows of a table. */
type World = Awaited<ReturnType<typeof ledgerSetup>>;

describe('createTransaction', () => {
  it('requires a category of the matching kind', async () => {
    const { client, model, checking, groceries, salary } = await ledgerSetup(server);
    const base = { accountId: checking.id, amount: '3', date: '2026-01-02' };
    await refused(
      client,
      CREATE_TX,
      { input: { ...base, type: 'EXPENSE', categoryId: salary } },
      BAD_USER_INPUT,
      'categoryId',
    );
    await refused(
      client,
      CREATE_TX,
      { input: { ...base, type: 'INCOME', categoryId: groceries } },
      BAD_USER_INPUT,
      'categoryId',
    );
    const income = await createTx(client, model, { ...base, type: 'INCOME', categoryId: salary });
    expect(income.category).toEqual({ id: salary });
    const expense = await createTx(client, model, { ...base, type: 'EXPENSE', categoryId: groceries });
    expect(expense.category).toEqual({ id: groceries });
    const uncategorized = await createTx(client, model, { ...base, type: 'EXPENSE' });
    expect(uncategorized.category).toBeNull();
    for (const categoryId of [UNKNOWN_ID, 'not-a-uuid']) {
      await refused(client, CREATE_TX, { input: { ...base, type: 'EXPENSE', categoryId } }, NOT_FOUND);
    }
    expect(await balances(client)).toEqual(model.expected());
  });

  it('takes 0.01, the smallest amount, and refuses updating it to 0 or less', async () => {
    const { client, model, checking } = await ledgerSetup(server);
    const smallest = await createTx(client, model, {
      accountId: checking.id,
      type: 'EXPENSE',
      amount: '0.01',
    });
    expect(smallest.amount).toBe('0.01');
    await refused(client, UPDATE_TX, { id: smallest.id, input: { amount: '0' } }, BAD_USER_INPUT, 'amount');
    await refused(client, UPDATE_TX, { id: smallest.id, input: { amount: '-1' } }, BAD_USER_INPUT, 'amount');
    expect(await balances(client)).toEqual(model.expected());
  });
});

describe('refusals', () => {
  let world: World;
  /** A transaction to update. */
  let tx: { id: string };
  beforeAll(async () => {
    world = await ledgerSetup(server);
    tx = await createTx(world.client, world.model, {
      accountId: world.checking.id,
      type: 'EXPENSE',
      amount: '1',
    });
  });
  const base = () => ({ accountId: world.checking.id, type: 'EXPENSE', amount: '1', date: '2026-01-01' });

  it.each(
    ['0', '0.00', '-0', '-0.01', '-5', '-999999999999999.99'].flatMap((amount) =>
      ['INCOME', 'EXPENSE', 'TRANSFER'].map((type) => [amount, type]),
    ),
  )('requires amount > 0: refuses %s for %s', async (amount, type) => {
    await refused(
      world.client,
      CREATE_TX,
      {
        input: {
          accountId: world.checking.id,
          type,
          amount,
          date: '2026-01-01',
          transferAccountId: type === 'TRANSFER' ? world.savings.id : undefined,
        },
      },
      BAD_USER_INPUT,
      'amount',
    );
  });

  it.each([
    ['description', 'of 10,000 characters', { description: LONG }],
    ['description', 'with a NUL byte', { description: 'a\u0000b' }],
    ['tags', 'with a tag of 10,000 characters', { tags: [LONG] }],
    ['tags', 'with a NUL byte in a tag', { tags: ['ok', 'a\u0000b'] }],
    ['tags', 'of 10,000 tags', { tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) }],
  ])('refuses %s %s on create and update', async (field, _case, extra) => {
    await refused(world.client, CREATE_TX, { input: { ...base(), ...extra } }, BAD_USER_INPUT, field);
    await refused(world.client, UPDATE_TX, { id: tx.id, input: extra }, BAD_USER_INPUT, field);
  });

  it.each([LONG, 'a\u0000'].map((search) => [label(search), search]))(
    'refuses the search %s',
    async (_label, search) => {
      const result = await world.client.request(TRANSACTION_IDS, { filter: { search } });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: BAD_USER_INPUT, field: 'search' });
    },
  );

  it.each(['x'.repeat(256), LONG, '', 'k\u0000'].map((key) => [label(key), key]))(
    'refuses the idempotencyKey %s',
    async (_label, key) => {
      await refused(world.client, CREATE_TX, { input: base(), key }, BAD_USER_INPUT, 'idempotencyKey');
    },
  );

  it.each([UNKNOWN_ID, 'not-a-uuid', '', '0', LONG, `${UNKNOWN_ID}\u0000`].map((id) => [label(id), id]))(
    'answers NOT_FOUND for the transaction id %s',
    async (_label, id) => {
      const { client, checking } = world;
      await refused(client, TRANSACTION, { id }, NOT_FOUND);
      await refused(client, UPDATE_TX, { id, input: { amount: '2' } }, NOT_FOUND);
      await refused(client, DELETE_TRANSACTION, { id }, NOT_FOUND);
      for (const filter of [{ accountIds: [id] }, { categoryIds: [id] }, { accountIds: [checking.id, id] }]) {
        const result = await client.request(TRANSACTION_IDS, { filter });
        expect(result.errors?.[0]?.extensions?.code, JSON.stringify(abbreviate(filter))).toBe(NOT_FOUND);
      }
    },
  );

  it('leaves every balance as the model says', async () => {
    expect(await balances(world.client)).toEqual(world.model.expected());
  });
});

describe('a TRANSFER names another account of the same currency and has no category', () => {
  let world: World;
  beforeAll(async () => {
    world = await ledgerSetup(server);
  });
  const base = () => ({
    accountId: world.checking.id,
    amount: '25',
    date: '2026-01-03',
    type: 'TRANSFER' as TxType,
  });

  it.each([
    ['no transferAccountId', () => ({}), BAD_USER_INPUT, 'transferAccountId'],
    [
      'the same account on both sides',
      () => ({ transferAccountId: world.checking.id }),
      BAD_USER_INPUT,
      'transferAccountId',
    ],
    [
      'an account in another currency',
      () => ({ transferAccountId: world.euro.id }),
      BAD_USER_INPUT,
      'transferAccountId',
    ],
    [
      'a category',
      () => ({ transferAccountId: world.savings.id, categoryId: world.groceries }),
      BAD_USER_INPUT,
      'categoryId',
    ],
    [
      'a transferAccountId on an EXPENSE',
      () => ({ type: 'EXPENSE', transferAccountId: world.savings.id }),
      BAD_USER_INPUT,
      'transferAccountId',
    ],
    [
      'a transferAccountId on an INCOME',
      () => ({ type: 'INCOME', transferAccountId: world.savings.id }),
      BAD_USER_INPUT,
      'transferAccountId',
    ],
    ['an unknown transferAccountId', () => ({ transferAccountId: UNKNOWN_ID }), NOT_FOUND, undefined],
    ['a malformed transferAccountId', () => ({ transferAccountId: 'not-a-uuid' }), NOT_FOUND, undefined],
    [
      'an unknown accountId',
      () => ({ accountId: UNKNOWN_ID, transferAccountId: world.savings.id }),
      NOT_FOUND,
      undefined,
    ],
    [
      'a malformed accountId',
      () => ({ accountId: 'not-a-uuid', transferAccountId: world.savings.id }),
      NOT_FOUND,
      undefined,
    ],
  ])('refuses %s', async (_case, extra, code, field) => {
    await refused(world.client, CREATE_TX, { input: { ...base(), ...extra() } }, code, field);
  });

  it('creates one with another account of the same currency', async () => {
    const { client, model, checking, savings } = world;
    const transfer = await createTx(client, model, { ...base(), transferAccountId: savings.id });
    expect(transfer).toMatchObject({
      type: 'TRANSFER',
      amount: '25.00',
      account: { id: checking.id },
      transferAccount: { id: savings.id },
      category: null,
    });
    expect(await balances(client)).toEqual(model.expected());
  });
});

describe('balance overflow', () => {
  // numeric(19,4) holds balances below 10^15. The contract names no code for a write that would
  // take a balance past it; any refusal the client can act on will do, but never an internal error.
  const OUT_OF_RANGE = [BAD_USER_INPUT, CONFLICT];

  it('refuses a write that would overflow a balance without an internal error or half-write', async () => {
    const { client, model } = await ledgerSetup(server);
    const big = await openAccount(client, model, { name: 'Big', openingBalance: '999999999999999.99' });
    const low = await openAccount(client, model, { name: 'Low', openingBalance: '-999999999999999.99' });
    const date = '2026-01-01';
    const overflow = async (input: Record<string, unknown>) => {
      const result = await refused(client, CREATE_TX, { input: { date, ...input } }, OUT_OF_RANGE);
      expect(['amount', undefined]).toContain(result.errors?.[0]?.extensions?.field);
    };
    await overflow({ accountId: big.id, type: 'INCOME', amount: '0.01' });
    await overflow({ accountId: low.id, type: 'EXPENSE', amount: '0.01' });
    await overflow({ accountId: low.id, type: 'TRANSFER', amount: '0.01', transferAccountId: big.id });
    // Updates and deletes that would push a balance out of range are refused the same way.
    const expense = await createTx(client, model, { accountId: big.id, type: 'EXPENSE', amount: '1' });
    await refused(client, UPDATE_TX, { id: expense.id, input: { type: 'INCOME' } }, OUT_OF_RANGE);
    await refused(client, UPDATE_TX, { id: expense.id, input: { accountId: low.id } }, OUT_OF_RANGE);
    const income = await createTx(client, model, { accountId: big.id, type: 'INCOME', amount: '1' });
    expect(await balances(client)).toEqual(model.expected());
    expect(model.expected()[big.id]).toBe('999999999999999.99');
    // Deleting the expense would leave 1000000000000000.99.
    await refused(client, DELETE_TRANSACTION, { id: expense.id }, OUT_OF_RANGE);
    await client.data(DELETE_TRANSACTION, { id: income.id });
    model.txs.delete(income.id);
    await client.data(DELETE_TRANSACTION, { id: expense.id });
    model.txs.delete(expense.id);
    // Within range is fine.
    await createTx(client, model, {
      accountId: big.id,
      type: 'TRANSFER',
      amount: '999999999999999.99',
      transferAccountId: low.id,
    });
    expect(await balances(client)).toEqual(model.expected());
    expect(model.expected()[big.id]).toBe('0.00');
    expect(model.expected()[low.id]).toBe('0.00');
  });
});
