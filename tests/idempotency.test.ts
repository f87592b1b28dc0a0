/**
 * createTransaction's idempotencyKey: same key + same input returns the original and applies
 * nothing; same key + different input is CONFLICT; keys are per user; concurrent requests with one
 * key create exactly one transaction. Balances are checked against BigInt cents computed here.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, CONFLICT, INTERNAL_SERVER_ERROR, NOT_FOUND } from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { categoryId } from './helpers/ledger.js';
import { cents } from './helpers/model/money.js';
import {
  BALANCES,
  CREATE_ACCOUNT,
  CREATE_TRANSACTION,
  DELETE_TRANSACTION,
  TRANSACTION_FIELDS,
  UPDATE_ACCOUNT,
  UPDATE_TRANSACTION,
} from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const LIST = `{ transactions(first: 100, sort: { field: CREATED_AT, direction: ASC }) {
  totalCount nodes { ${TRANSACTION_FIELDS} } } }`;

async function setup(): Promise<{
  client: GraphQLClient;
  account: string;
  savings: string;
  groceries: string;
}> {
  const registered = await registerUser(server.client());
  const client = server.client(registered.accessToken);
  const make = async (name: string, openingBalance: string) =>
    (
      await client.data(CREATE_ACCOUNT, {
        input: { name, type: 'CHECKING', openingBalance },
      })
    ).createAccount.id;
  const account = await make('Main', '100');
  const savings = await make('Savings', '0');
  const groceries = await categoryId(client, 'Groceries');
  return { client, account, savings, groceries };
}

async function balancesInCents(client: GraphQLClient): Promise<Record<string, bigint>> {
  const data = await client.data(BALANCES);
  return Object.fromEntries(
    data.accounts.map((a: { id: string; balance: string }) => [a.id, cents(a.balance)]),
  );
}

async function list(client: GraphQLClient): Promise<{ totalCount: number; nodes: any[] }> {
  return (await client.data(LIST)).transactions;
}

describe('idempotencyKey', () => {
  it('replays sequentially: same key + same input returns the same transaction, applied once', async () => {
    const { client, account, groceries } = await setup();
    const input = {
      accountId: account,
      type: 'EXPENSE',
      amount: '12.34',
      date: '2026-01-15',
      categoryId: groceries,
      description: 'lunch',
      tags: ['food'],
    };
    const key = `key-${randomUUID()}`;
    const first = await client.data(CREATE_TRANSACTION, { input, key });
    for (let i = 0; i < 3; i++) {
      const again = await client.data(CREATE_TRANSACTION, { input, key });
      expect(again.createTransaction).toEqual(first.createTransaction);
    }
    // Same input with the fields in another order is the same input.
    const reordered = Object.fromEntries(Object.entries(input).reverse());
    expect((await client.data(CREATE_TRANSACTION, { input: reordered, key })).createTransaction.id).toBe(
      first.createTransaction.id,
    );
    const transactions = await list(client);
    expect(transactions.totalCount).toBe(1);
    expect(transactions.nodes[0]).toEqual(first.createTransaction);
    expect((await balancesInCents(client))[account]).toBe(cents('100') - cents('12.34'));

    // Without a key, or with another key, the same input creates another transaction.
    await client.data(CREATE_TRANSACTION, { input });
    await client.data(CREATE_TRANSACTION, { input, key: `${key}-2` });
    expect((await list(client)).totalCount).toBe(3);
    expect((await balancesInCents(client))[account]).toBe(cents('100') - 3n * cents('12.34'));
  });

  it('answers CONFLICT for the same key with a different input, applying nothing', async () => {
    const { client, account, savings, groceries } = await setup();
    const input = { accountId: account, type: 'EXPENSE', amount: '10', date: '2026-01-15' };
    const key = 'shared-key';
    const first = (await client.data(CREATE_TRANSACTION, { input, key })).createTransaction;
    const balances = await balancesInCents(client);
    const before = await list(client);
    const variants: Record<string, unknown>[] = [
      { ...input, amount: '10.01' },
      { ...input, type: 'INCOME' },
      { ...input, date: '2026-01-16' },
      { ...input, accountId: savings },
      { ...input, categoryId: groceries },
      { ...input, description: 'other' },
      { ...input, tags: ['x'] },
      { ...input, type: 'TRANSFER', transferAccountId: savings },
    ];
    for (const variant of variants) {
      const result = await client.request(CREATE_TRANSACTION, { input: variant, key });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variant)).toBe(CONFLICT);
      expect(result.data?.createTransaction ?? null).toBeNull();
      expect(await balancesInCents(client)).toEqual(balances);
      expect(await list(client)).toEqual(before);
    }
    // The original still replays.
    expect((await client.data(CREATE_TRANSACTION, { input, key })).createTransaction).toEqual(first);
  });

  it('keeps keys per user: the same key used by another user is independent', async () => {
    const a = await setup();
    const b = await setup();
    const key = 'everyone-uses-this-key';
    const aInput = { accountId: a.account, type: 'INCOME', amount: '5', date: '2026-01-15' };
    const ta = (await a.client.data(CREATE_TRANSACTION, { input: aInput, key })).createTransaction;
    // B sending A's exact input under A's key gets NOT_FOUND (A's account), never A's transaction.
    const stolen = await b.client.request(CREATE_TRANSACTION, { input: aInput, key });
    expect(stolen.errors?.[0]?.extensions?.code).toBe(NOT_FOUND);
    expect(JSON.stringify(stolen)).not.toContain(ta.id);
    // B: a different input under the same key is no conflict (nor used up by the refusal above),
    // and it is B's own transaction.
    const tb = (
      await b.client.data(CREATE_TRANSACTION, {
        input: { accountId: b.account, type: 'EXPENSE', amount: '7', date: '2026-01-15' },
        key,
      })
    ).createTransaction;
    expect(tb.id).not.toBe(ta.id);
    expect(tb.account.id).toBe(b.account);
    // Each replays its own.
    expect(
      (
        await a.client.data(CREATE_TRANSACTION, {
          input: { accountId: a.account, type: 'INCOME', amount: '5', date: '2026-01-15' },
          key,
        })
      ).createTransaction.id,
    ).toBe(ta.id);
    expect(
      (
        await b.client.data(CREATE_TRANSACTION, {
          input: { accountId: b.account, type: 'EXPENSE', amount: '7', date: '2026-01-15' },
          key,
        })
      ).createTransaction.id,
    ).toBe(tb.id);
    expect((await balancesInCents(a.client))[a.account]).toBe(cents('100') + cents('5'));
    expect((await balancesInCents(b.client))[b.account]).toBe(cents('100') - cents('7'));
    expect((await list(a.client)).totalCount).toBe(1);
    expect((await list(b.client)).totalCount).toBe(1);
  });

  it('creates exactly one transaction for 10 concurrent requests with the same key', async () => {
    const { client, account, savings } = await setup();
    const input = {
      accountId: account,
      type: 'TRANSFER',
      amount: '3.33',
      date: '2026-01-15',
      transferAccountId: savings,
    };
    const key = `concurrent-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client.request(CREATE_TRANSACTION, { input, key })),
    );
    for (const result of results) expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const ids = new Set(results.map((result) => result.data!.createTransaction.id));
    expect(ids.size).toBe(1);
    const transactions = await list(client);
    expect(transactions.totalCount).toBe(1);
    expect(transactions.nodes[0].id).toBe([...ids][0]);
    const balances = await balancesInCents(client);
    expect(balances[account]).toBe(cents('100') - cents('3.33'));
    expect(balances[savings]).toBe(cents('3.33'));
  });

  it('with concurrent requests of two different inputs under one key: one transaction, the rest CONFLICT', async () => {
    const { client, account } = await setup();
    const key = `race-${randomUUID()}`;
    const inputs = Array.from({ length: 10 }, (_, i) => ({
      accountId: account,
      type: 'EXPENSE',
      amount: i % 2 === 0 ? '1.00' : '2.00',
      date: '2026-01-15',
    }));
    const results = await Promise.all(
      inputs.map((input) => client.request(CREATE_TRANSACTION, { input, key })),
    );
    const transactions = await list(client);
    expect(transactions.totalCount).toBe(1);
    const winner = transactions.nodes[0];
    results.forEach((result, i) => {
      if (inputs[i]!.amount === winner.amount) {
        expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
        expect(result.data!.createTransaction.id).toBe(winner.id);
      } else {
        expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(CONFLICT);
      }
    });
    expect((await balancesInCents(client))[account]).toBe(cents('100') - cents(winner.amount));
  });

  it('refuses a key of 0 or 256 characters (or with NUL) as BAD_USER_INPUT and creates nothing', async () => {
    const { client, account } = await setup();
    const input = { accountId: account, type: 'INCOME', amount: '1', date: '2026-01-15' };
    for (const key of ['x'.repeat(256), '', 'x'.repeat(10_000), 'a\u0000b']) {
      const result = await client.request(CREATE_TRANSACTION, { input, key });
      expect(JSON.stringify(result)).not.toContain(INTERNAL_SERVER_ERROR);
      expect(result.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'idempotencyKey' });
    }
    expect((await list(client)).totalCount).toBe(0);
    expect((await balancesInCents(client))[account]).toBe(cents('100'));
    // 255 characters is fine, and replays.
    const longest = 'y'.repeat(255);
    const first = (await client.data(CREATE_TRANSACTION, { input, key: longest })).createTransaction;
    expect((await client.data(CREATE_TRANSACTION, { input, key: longest })).createTransaction.id).toBe(
      first.id,
    );
    expect((await list(client)).totalCount).toBe(1);
    expect((await balancesInCents(client))[account]).toBe(cents('101'));
  });

  it('does not use up a key on a refused request', async () => {
    const { client, account } = await setup();
    const key = `refused-${randomUUID()}`;
    await client.data(UPDATE_ACCOUNT, { id: account, input: { archived: true } });
    const input = { accountId: account, type: 'INCOME', amount: '1', date: '2026-01-15' };
    const refused = await client.request(CREATE_TRANSACTION, { input, key });
    expect(refused.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'accountId' });
    await client.data(UPDATE_ACCOUNT, { id: account, input: { archived: false } });
    // The same key now works for the same input (nothing was recorded by the refusal) ...
    const created = (await client.data(CREATE_TRANSACTION, { input, key })).createTransaction;
    expect(created.amount).toBe('1.00');
    // ... and a request refused for its shape does not claim a key either.
    const key2 = `refused2-${randomUUID()}`;
    const bad = await client.request(CREATE_TRANSACTION, { input: { ...input, amount: '0' }, key: key2 });
    expect(bad.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'amount' });
    await client.data(CREATE_TRANSACTION, { input: { ...input, amount: '2' }, key: key2 });
    expect((await list(client)).totalCount).toBe(2);
    expect((await balancesInCents(client))[account]).toBe(cents('103'));
  });

  it('replays the transaction as it is now after an update, applying nothing again', async () => {
    const { client, account } = await setup();
    const key = `updated-${randomUUID()}`;
    const input = { accountId: account, type: 'EXPENSE', amount: '10', date: '2026-01-15' };
    const created = (await client.data(CREATE_TRANSACTION, { input, key })).createTransaction;
    const updated = (await client.data(UPDATE_TRANSACTION, { id: created.id, input: { amount: '25' } }))
      .updateTransaction;
    const replay = (await client.data(CREATE_TRANSACTION, { input, key })).createTransaction;
    expect(replay.id).toBe(created.id);
    expect(replay).toEqual(updated);
    expect((await list(client)).totalCount).toBe(1);
    expect((await balancesInCents(client))[account]).toBe(cents('100') - cents('25'));
  });

  it('answers CONFLICT for a replay after the original transaction was deleted', async () => {
    const { client, account } = await setup();
    const key = `deleted-${randomUUID()}`;
    const input = { accountId: account, type: 'EXPENSE', amount: '40', date: '2026-01-15' };
    const created = (await client.data(CREATE_TRANSACTION, { input, key })).createTransaction;
    expect((await client.data(DELETE_TRANSACTION, { id: created.id })).deleteTransaction).toBe(true);
    expect((await balancesInCents(client))[account]).toBe(cents('100'));
    for (let i = 0; i < 2; i++) {
      const replay = await client.request(CREATE_TRANSACTION, { input, key });
      expect(replay.errors?.[0]?.extensions?.code).toBe(CONFLICT);
      expect(replay.data?.createTransaction ?? null).toBeNull();
    }
    const different = await client.request(CREATE_TRANSACTION, { input: { ...input, amount: '41' }, key });
    expect(different.errors?.[0]?.extensions?.code).toBe(CONFLICT);
    expect((await list(client)).totalCount).toBe(0);
    expect((await balancesInCents(client))[account]).toBe(cents('100'));
  });
});
