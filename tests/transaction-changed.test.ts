import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { GraphQLClient } from './helpers/graphql.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { DELETE_TRANSACTION, LOGOUT, UPDATE_TRANSACTION } from './helpers/operations.js';
import {
  startTestServer,
  withPostgresAndRedis,
  withTwoInstances,
  type TestServer,
} from './helpers/server.js';
import { bearer, connect, waitForRedisSubscribers, type Socket } from './helpers/sockets.js';
import { sleep, withTimeout } from './helpers/timing.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';

/**
 * Subscription.transactionChanged over graphql-ws: every committed write of a transaction
 * (create, update, delete, remove) reaches its owner's subscribers with the transaction and the
 * balances it moved, read fresh; an idempotent replay sends nothing; another user hears nothing;
 * a failed publish never fails the write; with PostgreSQL and Redis, across server instances.
 */

const CHANGE_FIELDS = `kind id
  transaction { id type amount description account { id } transferAccount { id } }
  affectedAccounts { id balance }`;
const SUBSCRIPTION = `subscription { transactionChanged { ${CHANGE_FIELDS} } }`;
const REMOVE_TRANSACTION =
  'mutation ($id: ID!) { removeTransaction(id: $id) { removed { id } affectedAccounts { id balance } } }';
/** Time for a subscribe message to reach the server and its pub/sub before a write. */
const SETTLE_MS = 300;
/** A second device must see a write within a second of the write's response. */
const LATENCY_LIMIT_MS = 1000;

interface Change {
  kind: 'CREATED' | 'UPDATED' | 'DELETED' | 'IMPORTED' | 'IMPORT_UNDONE';
  id: string;
  transaction: {
    id: string;
    type: string;
    amount: string;
    description: string | null;
    account: { id: string };
    transferAccount: { id: string } | null;
  } | null;
  affectedAccounts: { id: string; balance: string }[];
}

/** A transactionChanged subscription that queues its events, with their arrival times. */
class Listener {
  private readonly events: { at: number; change: Change }[] = [];
  private readonly failures: unknown[] = [];
  private taken = 0;
  private wake: () => void = () => undefined;
  private readonly unsubscribe: () => void;

  constructor(client: Client) {
    this.unsubscribe = client.subscribe<{ transactionChanged: Change }>(
      { query: SUBSCRIPTION },
      {
        next: (result) => {
          if (result.errors?.length) this.failures.push(result.errors);
          else this.events.push({ at: performance.now(), change: result.data!.transactionChanged });
          this.wake();
        },
        error: (error) => {
          this.failures.push(error);
          this.wake();
        },
        complete: () => this.wake(),
      },
    );
  }

  /** The next event not yet taken, waiting at most `ms`. */
  async next(ms = 3000): Promise<{ at: number; change: Change }> {
    const deadline = Date.now() + ms;
    while (this.events.length <= this.taken) {
      if (this.failures.length) throw new Error(`subscription failed: ${JSON.stringify(this.failures)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event #${this.taken + 1} within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.events[this.taken++]!;
  }

  /** Events received and not yet taken. */
  pending(): Change[] {
    return this.events.slice(this.taken).map((event) => event.change);
  }

  stop() {
    this.unsubscribe();
  }
}

/** A user with two USD accounts (100.00 and 50.00), a client and an open socket on `target`. */
async function userWithAccounts(target: { url: string }) {
  const user = await registerUser(new GraphQLClient(target.url));
  const client = new GraphQLClient(target.url, user.accessToken);
  const a = (await createAccount(client, { name: 'A', currency: 'USD', openingBalance: '100.00' })).id;
  const b = (await createAccount(client, { name: 'B', currency: 'USD', openingBalance: '50.00' })).id;
  return { user, client, a, b };
}

/**
 * Waits until the subscriptions can hear: with Redis until each user's channel has a subscriber,
 * then a moment for each subscribe to reach its pub/sub.
 */
async function settle(users: RegisteredUser[]): Promise<void> {
  if (process.env.REDIS_URL) {
    const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      await waitForRedisSubscribers(
        redis,
        users.map((user) => `TRANSACTION_CHANGED:${user.id}`),
      );
    } finally {
      redis.disconnect();
    }
  }
  await sleep(SETTLE_MS);
}

const sockets: Socket[] = [];
async function openSocket(url: string, accessToken: string): Promise<Socket> {
  const socket = connect(url, bearer(accessToken));
  sockets.push(socket);
  await withTimeout(socket.connected, 3000, 'connect');
  return socket;
}

const byId = (accounts: { id: string; balance: string }[]) =>
  Object.fromEntries(accounts.map((account) => [account.id, account.balance]));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.allSettled(
    sockets.map((s) => withTimeout(Promise.resolve(s.client.dispose()), 3000, 'dispose')),
  );
  await server?.close();
});

describe('Subscription.transactionChanged', () => {
  it('an import and its undo are one event each: the import id and the balance after', async () => {
    const { user, client, a } = await userWithAccounts(server);
    const listener = new Listener((await openSocket(server.url, user.accessToken)).client);
    await settle([user]);
    const input = {
      accountId: a,
      format: 'CSV',
      mapping: { date: 'Date', amount: 'Amount' },
      content: 'Date,Amount\n2026-01-02,-10.00\n2026-01-03,-5.50\n2026-01-04,2.00\n',
    };
    const { commitImport } = await client.data(
      'mutation ($input: ImportFileInput!) { commitImport(input: $input) { id } }',
      { input },
    );
    expect((await listener.next()).change).toEqual({
      kind: 'IMPORTED',
      id: commitImport.id,
      transaction: null,
      affectedAccounts: [{ id: a, balance: '86.50' }],
    });
    await client.data('mutation ($id: ID!) { undoImport(id: $id) { id } }', { id: commitImport.id });
    expect((await listener.next()).change).toEqual({
      kind: 'IMPORT_UNDONE',
      id: commitImport.id,
      transaction: null,
      affectedAccounts: [{ id: a, balance: '100.00' }],
    });
    // Once undone, the file comes in again; once more, it creates nothing and publishes nothing.
    const commit =
      'mutation ($input: ImportFileInput!) { commitImport(input: $input) { createdCount duplicateCount } }';
    await client.data(commit, { input });
    expect((await listener.next()).change.kind).toBe('IMPORTED');
    expect((await client.data(commit, { input })).commitImport).toEqual({
      createdCount: 0,
      duplicateCount: 3,
    });
    await sleep(SETTLE_MS);
    expect(listener.pending()).toEqual([]);
    listener.stop();
  });

  it('CREATED, UPDATED (a move between accounts) and DELETED (remove and delete), each with the balances after', async () => {
    const { user, client, a, b } = await userWithAccounts(server);
    const listener = new Listener((await openSocket(server.url, user.accessToken)).client);
    await settle([user]);

    // CREATED: the transaction and its account's balance after the write, within a second.
    const expense = await createTransaction(client, {
      accountId: a,
      type: 'EXPENSE',
      amount: '10.00',
      description: 'Lunch',
    });
    const responded = performance.now();
    const created = await listener.next();
    const latency = created.at - responded;
    console.info(
      `[transaction-changed] latency after the mutation response (${
        process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'
      }${process.env.REDIS_URL ? ' + Redis' : ''}): ${latency.toFixed(1)} ms`,
    );
    expect(latency).toBeLessThan(LATENCY_LIMIT_MS);
    expect(created.change).toEqual({
      kind: 'CREATED',
      id: expense.id,
      transaction: {
        id: expense.id,
        type: 'EXPENSE',
        amount: '10.00',
        description: 'Lunch',
        account: { id: a },
        transferAccount: null,
      },
      affectedAccounts: [{ id: a, balance: '90.00' }],
    });

    // UPDATED: moved from A to B and made larger; both balances, as they are after.
    await client.data(UPDATE_TRANSACTION, { id: expense.id, input: { accountId: b, amount: '15.00' } });
    const moved = (await listener.next()).change;
    expect(moved).toMatchObject({
      kind: 'UPDATED',
      id: expense.id,
      transaction: { id: expense.id, amount: '15.00', account: { id: b } },
    });
    expect(byId(moved.affectedAccounts)).toEqual({ [a]: '100.00', [b]: '35.00' });

    // An update that moves no balance: the transaction, and no accounts.
    await client.data(UPDATE_TRANSACTION, { id: expense.id, input: { description: 'Dinner' } });
    expect((await listener.next()).change).toMatchObject({
      kind: 'UPDATED',
      transaction: { description: 'Dinner' },
      affectedAccounts: [],
    });

    // DELETED by removeTransaction: the id (in any case), no transaction, the balance after.
    await client.data(REMOVE_TRANSACTION, { id: expense.id.toUpperCase() });
    expect((await listener.next()).change).toEqual({
      kind: 'DELETED',
      id: expense.id,
      transaction: null,
      affectedAccounts: [{ id: b, balance: '50.00' }],
    });

    // A transfer, then DELETED by deleteTransaction: both balances back.
    const transfer = await createTransaction(client, {
      type: 'TRANSFER',
      amount: '30.00',
      accountId: a,
      transferAccountId: b,
    });
    const transferred = (await listener.next()).change;
    expect(transferred).toMatchObject({
      kind: 'CREATED',
      id: transfer.id,
      transaction: { type: 'TRANSFER', account: { id: a }, transferAccount: { id: b } },
    });
    expect(byId(transferred.affectedAccounts)).toEqual({ [a]: '70.00', [b]: '80.00' });
    await client.data(DELETE_TRANSACTION, { id: transfer.id });
    const deleted = (await listener.next()).change;
    expect(deleted).toMatchObject({ kind: 'DELETED', id: transfer.id, transaction: null });
    expect(byId(deleted.affectedAccounts)).toEqual({ [a]: '100.00', [b]: '50.00' });

    // A refused write commits nothing and says nothing: the next event is the next write's.
    const refused = await client.request(DELETE_TRANSACTION, { id: transfer.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const last = await createTransaction(client, { accountId: a, type: 'INCOME', amount: '1.00' });
    expect((await listener.next()).change).toMatchObject({ kind: 'CREATED', id: last.id });
    expect(listener.pending()).toEqual([]);
    listener.stop();
  });

  it('an idempotent replay of createTransaction sends nothing', async () => {
    const { user, client, a } = await userWithAccounts(server);
    const listener = new Listener((await openSocket(server.url, user.accessToken)).client);
    await settle([user]);

    const input = { accountId: a, type: 'EXPENSE', amount: '5.00' };
    const first = await createTransaction(client, input, 'replay-key');
    expect((await listener.next()).change).toMatchObject({ kind: 'CREATED', id: first.id });
    const replayed = await createTransaction(client, input, 'replay-key');
    expect(replayed.id).toBe(first.id);

    // Events arrive in order: had the replay sent one, it would come before this write's.
    const next = await createTransaction(client, { ...input, amount: '6.00' });
    const after = (await listener.next()).change;
    expect(after).toMatchObject({ kind: 'CREATED', id: next.id });
    expect(after.affectedAccounts).toEqual([{ id: a, balance: '89.00' }]);
    expect(listener.pending()).toEqual([]);
    listener.stop();
  });

  it('applyRules: each transaction it changes is UPDATED for subscribers (a dry run sends nothing)', async () => {
    const { user, client, a } = await userWithAccounts(server);
    const created = await createTransaction(client, {
      accountId: a,
      type: 'EXPENSE',
      amount: '4.00',
      description: 'Coffee',
    });
    const listener = new Listener((await openSocket(server.url, user.accessToken)).client);
    await settle([user]);
    await client.data(
      'mutation { createRule(input: { name: "coffee", conditions: [{ operator: CONTAINS, value: "coffee" }], addTags: ["coffee"] }) { id } }',
    );
    const dry = await client.data('mutation { applyRules { changed } }');
    expect(dry.applyRules.changed).toBe(1);
    const run = await client.data('mutation { applyRules(dryRun: false) { changed } }');
    expect(run.applyRules.changed).toBe(1);
    // Had the dry run published, its event would come first.
    const change = (await listener.next()).change;
    expect(change).toMatchObject({ kind: 'UPDATED', id: created.id });
    expect(listener.pending()).toEqual([]);
    listener.stop();
  });

  it('another user’s subscriber never gets the event', async () => {
    const owner = await userWithAccounts(server);
    const other = await userWithAccounts(server);
    const ownerListener = new Listener((await openSocket(server.url, owner.user.accessToken)).client);
    const otherListener = new Listener((await openSocket(server.url, other.user.accessToken)).client);
    await settle([owner.user, other.user]);

    const mine = await createTransaction(owner.client, {
      accountId: owner.a,
      type: 'EXPENSE',
      amount: '2.00',
    });
    expect((await ownerListener.next()).change.id).toBe(mine.id);
    await owner.client.data(DELETE_TRANSACTION, { id: mine.id });
    expect((await ownerListener.next()).change).toMatchObject({ kind: 'DELETED', id: mine.id });

    // The other user's own write, published after the owner's: the first event they get is it.
    const theirs = await createTransaction(other.client, {
      accountId: other.b,
      type: 'EXPENSE',
      amount: '3.00',
    });
    expect((await otherListener.next()).change).toMatchObject({
      kind: 'CREATED',
      id: theirs.id,
      affectedAccounts: [{ id: other.b, balance: '47.00' }],
    });
    // And the owner, likewise, hears only their own next write after it.
    const again = await createTransaction(owner.client, {
      accountId: owner.a,
      type: 'EXPENSE',
      amount: '4.00',
    });
    expect((await ownerListener.next()).change.id).toBe(again.id);
    expect(otherListener.pending()).toEqual([]);
    expect(ownerListener.pending()).toEqual([]);
    ownerListener.stop();
    otherListener.stop();
  });

  it('a failed publish fails no write', async () => {
    const { client, a } = await userWithAccounts(server);
    const pubSub = server.app.pubSub;
    const publish = pubSub.publish;
    pubSub.publish = () => {
      throw new Error('pub/sub is down');
    };
    try {
      const created = await createTransaction(client, { accountId: a, type: 'EXPENSE', amount: '7.00' });
      await client.data(UPDATE_TRANSACTION, { id: created.id, input: { amount: '8.00' } });
      await client.data(DELETE_TRANSACTION, { id: created.id });
      const again = await createTransaction(client, { accountId: a, type: 'EXPENSE', amount: '9.00' });
      await client.data(REMOVE_TRANSACTION, { id: again.id });
    } finally {
      pubSub.publish = publish;
    }
    const { account } = await client.data('query ($id: ID!) { account(id: $id) { balance } }', { id: a });
    expect(account.balance).toBe('100.00');
  });

  it('ends with the sign-in: a logout closes the subscribed socket', async () => {
    const { user } = await userWithAccounts(server);
    const socket = await openSocket(server.url, user.accessToken);
    const listener = new Listener(socket.client);
    await settle([user]);
    await server.client(user.accessToken).data(LOGOUT, { t: user.refreshToken });
    expect(await withTimeout(socket.closed, 5000, 'logout')).toBe(4403);
    listener.stop();
  });
});

describe('two server instances sharing PostgreSQL and Redis', () => {
  it.skipIf(!withPostgresAndRedis)(
    'a write through A reaches the owner’s subscriber on B, and no one else',
    () =>
      withTwoInstances(async (a: RunningServer, b: RunningServer) => {
        const owner = await userWithAccounts(a);
        const other = await userWithAccounts(b);
        const ownerOnB = new Listener((await openSocket(b.url, owner.user.accessToken)).client);
        const otherOnA = new Listener((await openSocket(a.url, other.user.accessToken)).client);
        await settle([owner.user, other.user]);

        const expense = await createTransaction(owner.client, {
          accountId: owner.a,
          type: 'EXPENSE',
          amount: '12.00',
        });
        const responded = performance.now();
        const onB = await ownerOnB.next();
        console.info(
          `[transaction-changed] cross-instance latency (A -> Redis -> B): ${(onB.at - responded).toFixed(1)} ms`,
        );
        expect(onB.at - responded).toBeLessThan(LATENCY_LIMIT_MS);
        expect(onB.change).toMatchObject({
          kind: 'CREATED',
          id: expense.id,
          transaction: { id: expense.id, amount: '12.00', account: { id: owner.a } },
          affectedAccounts: [{ id: owner.a, balance: '88.00' }],
        });

        // Written through B, heard on A by its owner only.
        const theirs = await createTransaction(other.client, {
          accountId: other.a,
          type: 'INCOME',
          amount: '1.00',
        });
        expect((await otherOnA.next()).change).toMatchObject({
          id: theirs.id,
          affectedAccounts: [{ id: other.a, balance: '101.00' }],
        });
        await owner.client.data(DELETE_TRANSACTION, { id: expense.id });
        expect((await ownerOnB.next()).change).toMatchObject({
          kind: 'DELETED',
          id: expense.id,
          affectedAccounts: [{ id: owner.a, balance: '100.00' }],
        });
        expect(ownerOnB.pending()).toEqual([]);
        expect(otherOnA.pending()).toEqual([]);
        ownerOnB.stop();
        otherOnA.stop();
      }),
  );
});
