/**
 * Accounts through the public API: currency, opening balance, names, archiving and deletion.
 * Every refused request is checked for its code (and field), for never being an internal error,
 * and for leaving the user's data exactly as it was (tests/helpers/refusals.ts). Expected
 * balances come from the ledger model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, CONFLICT, NOT_FOUND } from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { balances } from './helpers/ledger.js';
import { CREATE_TX, createTx, newClient, openAccount, UPDATE_TX } from './helpers/ledger-rules.js';
import { BalanceModel } from './helpers/model/ledger.js';
import {
  ACCOUNT,
  CREATE_ACCOUNT,
  DELETE_ACCOUNT,
  DELETE_TRANSACTION,
  UPDATE_ACCOUNT,
} from './helpers/operations.js';
import { label, LONG, refused, UNKNOWN_ID } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const ACCOUNTS = 'query ($all: Boolean) { accounts(includeArchived: $all) { id } }';

describe('currency', () => {
  let client: GraphQLClient;
  const model = new BalanceModel();
  beforeAll(async () => {
    client = await newClient(server, { currency: 'EUR' });
  });

  it("defaults to the user's and takes ISO 4217 codes", async () => {
    expect((await openAccount(client, model)).currency).toBe('EUR');
    expect((await openAccount(client, model, { currency: 'JPY' })).currency).toBe('JPY');
    expect((await openAccount(client, model, { currency: 'USD' })).currency).toBe('USD');
  });

  it.each(['ABC', 'US', 'EURO', 'U$D', '', '123', LONG, 'US\u0000'].map((c) => [label(c), c]))(
    'refuses %s',
    async (_label, currency) => {
      await refused(
        client,
        CREATE_ACCOUNT,
        { input: { name: 'Bad', type: 'CHECKING', currency } },
        BAD_USER_INPUT,
        'currency',
      );
      expect(await balances(client)).toEqual(model.expected());
    },
  );
});

describe('accounts', () => {
  it('takes a negative opening balance and starts the balance there', async () => {
    const client = await newClient(server);
    const model = new BalanceModel();
    const card = await openAccount(client, model, { type: 'CREDIT_CARD', openingBalance: '-1234.5' });
    expect(card).toMatchObject({ openingBalance: '-1234.50', balance: '-1234.50', archived: false });
    await createTx(client, model, { accountId: card.id, type: 'EXPENSE', amount: '0.75' });
    expect(await balances(client)).toEqual(model.expected());
    expect(model.expected()[card.id]).toBe('-1235.25');
  });

  it('updates name and type, keeping fields left out', async () => {
    const client = await newClient(server);
    const account = await openAccount(client, undefined, { name: 'A', type: 'CASH', openingBalance: '3' });
    const renamed = await client.data(UPDATE_ACCOUNT, { id: account.id, input: { name: '  Wallet  ' } });
    expect(renamed.updateAccount).toMatchObject({
      name: 'Wallet',
      type: 'CASH',
      archived: false,
      balance: '3.00',
    });
    const retyped = await client.data(UPDATE_ACCOUNT, { id: account.id, input: { type: 'SAVINGS' } });
    expect(retyped.updateAccount).toMatchObject({ name: 'Wallet', type: 'SAVINGS', currency: 'USD' });
  });
});

describe('names', () => {
  let client: GraphQLClient;
  let account: { id: string };
  beforeAll(async () => {
    client = await newClient(server);
    account = await openAccount(client, undefined, { name: 'Main' });
  });

  it.each(['', LONG, 'a\u0000b', 'x'.repeat(101)].map((name) => [label(name), name]))(
    'refuses %s on create and update',
    async (_label, name) => {
      await refused(client, CREATE_ACCOUNT, { input: { name, type: 'CHECKING' } }, BAD_USER_INPUT, 'name');
      await refused(client, UPDATE_ACCOUNT, { id: account.id, input: { name } }, BAD_USER_INPUT, 'name');
    },
  );

  // updateAccount refuses a name that is only spaces; createAccount must not store an empty name.
  it('refuses a name of only spaces on create, like update does', async () => {
    await refused(client, UPDATE_ACCOUNT, { id: account.id, input: { name: '   ' } }, BAD_USER_INPUT, 'name');
    await refused(
      client,
      CREATE_ACCOUNT,
      { input: { name: '   ', type: 'CHECKING' } },
      BAD_USER_INPUT,
      'name',
    );
  });

  it('refuses an unknown type', async () => {
    await refused(client, UPDATE_ACCOUNT, { id: account.id, input: { type: 'BANK' } }, BAD_USER_INPUT);
  });
});

describe('archived accounts', () => {
  it('are listed only with includeArchived and take no new transactions', async () => {
    const client = await newClient(server);
    const model = new BalanceModel();
    const main = await openAccount(client, model, { name: 'Main', openingBalance: '500' });
    const old = await openAccount(client, model, { name: 'Old', openingBalance: '20' });
    const existing = await createTx(client, model, { accountId: main.id, type: 'EXPENSE', amount: '5' });

    const archived = await client.data(UPDATE_ACCOUNT, { id: old.id, input: { archived: true } });
    expect(archived.updateAccount).toMatchObject({
      id: old.id,
      archived: true,
      name: 'Old',
      balance: '20.00',
    });
    expect((await client.data(ACCOUNTS, {})).accounts.map((a: { id: string }) => a.id)).toEqual([main.id]);
    expect((await client.data(ACCOUNTS, { all: false })).accounts.map((a: { id: string }) => a.id)).toEqual([
      main.id,
    ]);
    expect(
      (await client.data(ACCOUNTS, { all: true })).accounts.map((a: { id: string }) => a.id).sort(),
    ).toEqual([main.id, old.id].sort());

    const date = '2026-01-20';
    await refused(
      client,
      CREATE_TX,
      { input: { accountId: old.id, type: 'INCOME', amount: '1', date } },
      BAD_USER_INPUT,
      'accountId',
    );
    await refused(
      client,
      CREATE_TX,
      { input: { accountId: old.id, type: 'TRANSFER', amount: '1', date, transferAccountId: main.id } },
      BAD_USER_INPUT,
      'accountId',
    );
    await refused(
      client,
      CREATE_TX,
      { input: { accountId: main.id, type: 'TRANSFER', amount: '1', date, transferAccountId: old.id } },
      BAD_USER_INPUT,
      'transferAccountId',
    );
    // Moving an existing transaction onto the archived account adds a transaction to it.
    await refused(
      client,
      UPDATE_TX,
      { id: existing.id, input: { accountId: old.id } },
      BAD_USER_INPUT,
      'accountId',
    );
    await refused(
      client,
      UPDATE_TX,
      { id: existing.id, input: { type: 'TRANSFER', transferAccountId: old.id } },
      BAD_USER_INPUT,
      'transferAccountId',
    );
    expect(await balances(client)).toEqual(model.expected());

    // Unarchived, it takes transactions again.
    await client.data(UPDATE_ACCOUNT, { id: old.id, input: { archived: false } });
    await createTx(client, model, { accountId: old.id, type: 'INCOME', amount: '1.11' });
    expect(await balances(client)).toEqual(model.expected());
    expect((await client.data(ACCOUNTS, {})).accounts).toHaveLength(2);
  });
});

describe('deleteAccount', () => {
  it('refuses with CONFLICT while a transaction references it on either side', async () => {
    const client = await newClient(server);
    const model = new BalanceModel();
    const a = await openAccount(client, model, { name: 'A', openingBalance: '100' });
    const b = await openAccount(client, model, { name: 'B' });
    const c = await openAccount(client, model, { name: 'C' });
    const unused = await openAccount(client, model, { name: 'Unused', openingBalance: '-7' });

    const expense = await createTx(client, model, { accountId: a.id, type: 'EXPENSE', amount: '4' });
    const transfer = await createTx(client, model, {
      accountId: a.id,
      type: 'TRANSFER',
      amount: '10',
      transferAccountId: b.id,
    });
    await refused(client, DELETE_ACCOUNT, { id: a.id }, CONFLICT);
    // b is referenced only as the transfer's destination.
    await refused(client, DELETE_ACCOUNT, { id: b.id }, CONFLICT);
    // Archived or not makes no difference.
    await client.data(UPDATE_ACCOUNT, { id: b.id, input: { archived: true } });
    await refused(client, DELETE_ACCOUNT, { id: b.id }, CONFLICT);
    await client.data(UPDATE_ACCOUNT, { id: b.id, input: { archived: false } });

    // An account no transaction references can be deleted.
    expect((await client.data(DELETE_ACCOUNT, { id: unused.id })).deleteAccount).toBe(true);
    model.opening.delete(unused.id);
    await refused(client, ACCOUNT, { id: unused.id }, NOT_FOUND);
    await refused(client, DELETE_ACCOUNT, { id: unused.id }, NOT_FOUND);
    expect(await balances(client)).toEqual(model.expected());

    // Moving the transfer's destination to c frees b.
    await client.data(UPDATE_TX, { id: transfer.id, input: { transferAccountId: c.id } });
    model.txs.get(transfer.id)!.transferAccountId = c.id;
    expect(await balances(client)).toEqual(model.expected());
    expect((await client.data(DELETE_ACCOUNT, { id: b.id })).deleteAccount).toBe(true);
    model.opening.delete(b.id);
    await refused(client, DELETE_ACCOUNT, { id: c.id }, CONFLICT);

    // TRANSFER -> INCOME clears transferAccount, which frees c.
    await client.data(UPDATE_TX, { id: transfer.id, input: { type: 'INCOME' } });
    Object.assign(model.txs.get(transfer.id)!, { type: 'INCOME', transferAccountId: null });
    expect(await balances(client)).toEqual(model.expected());
    expect((await client.data(DELETE_ACCOUNT, { id: c.id })).deleteAccount).toBe(true);
    model.opening.delete(c.id);

    // a still has two transactions; deleting them frees it.
    await refused(client, DELETE_ACCOUNT, { id: a.id }, CONFLICT);
    for (const tx of [expense, transfer]) {
      await client.data(DELETE_TRANSACTION, { id: tx.id });
      model.txs.delete(tx.id);
      expect(await balances(client)).toEqual(model.expected());
    }
    expect((await client.data(DELETE_ACCOUNT, { id: a.id })).deleteAccount).toBe(true);
    expect(await balances(client)).toEqual({});
  });
});

describe('unknown and malformed account ids', () => {
  let client: GraphQLClient;
  beforeAll(async () => {
    client = await newClient(server);
    await openAccount(client, undefined);
  });

  it.each(
    [UNKNOWN_ID, 'not-a-uuid', '1', '', `${UNKNOWN_ID} `, UNKNOWN_ID.toUpperCase(), LONG].map((id) => [
      label(id),
      id,
    ]),
  )('%s is NOT_FOUND for account, updateAccount and deleteAccount', async (_label, id) => {
    await refused(client, ACCOUNT, { id }, NOT_FOUND);
    await refused(client, UPDATE_ACCOUNT, { id, input: { name: 'X' } }, NOT_FOUND);
    await refused(client, DELETE_ACCOUNT, { id }, NOT_FOUND);
  });
});
