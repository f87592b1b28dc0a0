import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, type RunningServer } from '../src/server.js';
import { createBudget, listAlerts, type AlertView } from './helpers/budgets.js';
import { GraphQLClient } from './helpers/graphql.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { percentOf } from './helpers/model/budget.js';
import { cents, money } from './helpers/model/money.js';
import { ALERT_FIELDS, CREATE_TRANSACTION, ME } from './helpers/operations.js';
import { freshDatabase, startTestServer, testConfig, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { bearer, connect, waitForRedisSubscribers, type Socket } from './helpers/sockets.js';
import { sleep, withTimeout } from './helpers/timing.js';

/**
 * Subscription.budgetAlert over graphql-ws: delivery to the owner only, promptly (latency logged) after the
 * write's response; the socket's authentication (4403, 4429, expiry on subscribe); the depth
 * limit; and, with PostgreSQL and Redis, delivery across two server instances.
 */

const SUBSCRIPTION = `subscription { budgetAlert { ${ALERT_FIELDS} } }`;
/** How long after the owner got an alert another listener must stay silent. */
const QUIET_MS = 500;
/** Time for a subscribe message to reach the server and its pub/sub before a write. */
const SETTLE_MS = 300;
/** Generous, for a busy machine: the figures are logged; correctness never rests on speed. */
const LATENCY_LIMIT_MS = 5000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

interface Received {
  at: number;
  result: { data?: { budgetAlert: AlertView } | null; errors?: unknown[] };
}

/** A subscription that records every event, with its arrival time (performance.now()). */
class Listener {
  readonly events: Received[] = [];
  readonly failures: unknown[] = [];
  completed = false;
  private waiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(client: Client, query = SUBSCRIPTION) {
    this.unsubscribe = client.subscribe(
      { query },
      {
        next: (result) => {
          this.events.push({ at: performance.now(), result: result as Received['result'] });
          this.wake();
        },
        error: (error) => {
          this.failures.push(error);
          this.wake();
        },
        complete: () => {
          this.completed = true;
          this.wake();
        },
      },
    );
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** The n-th event (1-based), waiting at most `ms`. */
  async event(n: number, ms = 3000): Promise<Received> {
    const deadline = Date.now() + ms;
    while (this.events.length < n) {
      if (this.failures.length) throw new Error(`subscription failed: ${JSON.stringify(this.failures)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event #${n} within ${ms} ms (got ${this.events.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events[n - 1]!;
  }

  /** Waits until the subscription ends one way or another (error, complete or an event). */
  async settled(ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.failures.length && !this.completed && !this.events.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`subscription did not settle within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every error code the subscription reported, through an error message or a result. */
  errorCodes(): unknown[] {
    const fromFailures = this.failures.flatMap((failure) =>
      Array.isArray(failure) ? failure.map((e: any) => e?.extensions?.code) : [],
    );
    const fromResults = this.events.flatMap((e) =>
      (e.result.errors ?? []).map((x: any) => x?.extensions?.code),
    );
    return [...fromFailures, ...fromResults];
  }

  errorText(): string {
    return JSON.stringify([...this.failures, ...this.events.map((e) => e.result.errors ?? [])]);
  }

  stop() {
    this.unsubscribe();
  }
}

async function query(client: Client, document: string): Promise<any> {
  const iterator = client.iterate({ query: document });
  try {
    const { value } = await withTimeout(iterator.next(), 3000, document);
    return value;
  } finally {
    await iterator.return?.();
  }
}

/** A user with a USD account and a MONTHLY budget; expenses on 2026-01 dates. */
async function userWithBudget(
  target: { url: string },
  budget: { amount: string; alertThresholds: number[]; name?: string },
) {
  const http = new GraphQLClient(target.url);
  const user = await registerUser(http);
  const client = new GraphQLClient(target.url, user.accessToken);
  const account = await createAccount(client, { currency: 'USD', openingBalance: '10000.00' });
  const created = await createBudget(client, { ...budget, startDate: '2026-01-01' });
  return { user, client, account: account.id, budget: created };
}

async function disposeAll(sockets: Socket[]) {
  await Promise.allSettled(
    sockets.map((s) => withTimeout(Promise.resolve(s.client.dispose()), 3000, 'dispose')),
  );
}

describe('Subscription.budgetAlert', () => {
  it('delivers an alert to its owner promptly after the write’s response, and to no one else', async () => {
    const owner = await userWithBudget(server, { amount: '100.00', alertThresholds: [10, 20, 30, 40, 50] });
    const other = await userWithBudget(server, { amount: '100.00', alertThresholds: [50] });
    const ownerSocket = connect(server.url, bearer(owner.user.accessToken));
    const otherSocket = connect(server.url, bearer(other.user.accessToken));
    const sockets = [ownerSocket, otherSocket];
    try {
      await withTimeout(Promise.all(sockets.map((s) => s.connected)), 3000, 'connect');
      const ownerListener = new Listener(ownerSocket.client);
      const otherListener = new Listener(otherSocket.client);
      await sleep(SETTLE_MS);

      // Five writes of 10.00: each reaches one more threshold.
      const latencies: number[] = [];
      let spent = 0n;
      for (let i = 1; i <= 5; i++) {
        await createTransaction(owner.client, {
          accountId: owner.account,
          type: 'EXPENSE',
          amount: '10.00',
          date: '2026-01-10',
        });
        const responded = performance.now();
        spent += 1000n;
        const received = await ownerListener.event(i, 3000);
        latencies.push(received.at - responded);
        expect(received.result.errors).toBeUndefined();
        const alert = received.result.data!.budgetAlert;

        // Stored before it was pushed: the owner can already read it.
        const stored = await listAlerts(owner.client, { first: 1 });
        expect(stored[0]).toEqual(alert);
        expect(alert).toMatchObject({
          threshold: 10 * i,
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
          spent: money(spent),
          available: '100.00',
          read: false,
          budget: { id: owner.budget.id, name: owner.budget.name },
        });
        expect(alert.percentUsed).toBeCloseTo(percentOf(spent, 10000n), 9);
      }
      console.info(
        `[subscriptions] alert latency after the mutation response (${
          process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'
        }${process.env.REDIS_URL ? ' + Redis' : ''}): ${latencies.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`,
      );
      for (const latency of latencies) expect(latency).toBeLessThan(LATENCY_LIMIT_MS);

      await sleep(QUIET_MS);
      expect(otherListener.events, 'another user received the owner’s alert').toEqual([]);
      expect(ownerListener.events, 'each alert exactly once').toHaveLength(5);

      // The other listener was live all along: its own alert reaches it, and not the owner.
      await createTransaction(other.client, {
        accountId: other.account,
        type: 'EXPENSE',
        amount: '75.00',
        date: '2026-01-11',
      });
      const theirs = await otherListener.event(1, LATENCY_LIMIT_MS + 500);
      expect(theirs.result.data!.budgetAlert).toMatchObject({
        threshold: 50,
        spent: '75.00',
        budget: { id: other.budget.id },
      });
      await sleep(QUIET_MS);
      expect(ownerListener.events).toHaveLength(5);
      expect(otherListener.events).toHaveLength(1);

      // Writes that store no alert push nothing: a refused one, and one below any new threshold.
      const refused = await owner.client.request(CREATE_TRANSACTION, {
        input: { accountId: owner.account, type: 'EXPENSE', amount: '0', date: '2026-01-10' },
      });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      await createTransaction(owner.client, {
        accountId: owner.account,
        type: 'EXPENSE',
        amount: '5.00',
        date: '2026-01-12',
      });
      await sleep(QUIET_MS);
      expect(ownerListener.events).toHaveLength(5);
      ownerListener.stop();
      otherListener.stop();
    } finally {
      await disposeAll(sockets);
    }
  });

  it('every socket of the owner receives the alert once', async () => {
    const owner = await userWithBudget(server, { amount: '50.00', alertThresholds: [100] });
    const sockets = [0, 1, 2].map(() => connect(server.url, bearer(owner.user.accessToken)));
    try {
      await withTimeout(Promise.all(sockets.map((s) => s.connected)), 3000, 'connect');
      const listeners = sockets.map((s) => new Listener(s.client));
      await sleep(SETTLE_MS);
      await createTransaction(owner.client, {
        accountId: owner.account,
        type: 'EXPENSE',
        amount: '50.00',
        date: '2026-01-10',
      });
      const alerts = await Promise.all(listeners.map((l) => l.event(1, 2000)));
      const ids = new Set(alerts.map((a) => a.result.data!.budgetAlert.id));
      expect(ids.size).toBe(1);
      await sleep(QUIET_MS);
      for (const listener of listeners) expect(listener.events).toHaveLength(1);
    } finally {
      await disposeAll(sockets);
    }
  });

  it('refuses a subscription deeper than the depth limit', async () => {
    const user = await registerUser(server.client());
    const socket = connect(server.url, bearer(user.accessToken));
    try {
      await withTimeout(socket.connected, 3000, 'connect');
      const nested = `category { ${'parent { '.repeat(12)}id${' }'.repeat(12)} }`;
      const listener = new Listener(
        socket.client,
        `subscription { budgetAlert { id budget { id ${nested} } } }`,
      );
      await listener.settled(3000);
      expect(listener.events.filter((e) => e.result.data?.budgetAlert)).toEqual([]);
      expect(listener.errorText()).toMatch(/depth/i);

      // The socket stays usable.
      const me = await query(socket.client, ME);
      expect(me.data.me.id).toBe(user.id);
    } finally {
      await disposeAll([socket]);
    }
  });
});

describe('graphql-ws authentication', () => {
  it('closes sockets without a valid access token with 4403', async () => {
    const user = await registerUser(server.client());
    const foreign = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('ledgerline')
      .setAudience('ledgerline-api')
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti('x')
      .sign(new TextEncoder().encode('a-different-secret-of-at-least-32-bytes!!'));
    const cases: [string, Record<string, unknown>][] = [
      ['no params', {}],
      ['no token', { authorization: '' }],
      ['bad token', bearer('not-a-token')],
      ['tampered token', bearer(`${user.accessToken.slice(0, -4)}AAAA`)],
      ['token signed with another secret', bearer(foreign)],
      ['refresh token', bearer(user.refreshToken)],
      ['refresh token without scheme', { authorization: user.refreshToken }],
      ['access token without scheme', { authorization: user.accessToken }],
    ];
    for (const [label, params] of cases) {
      const socket = connect(server.url, params);
      try {
        expect(await withTimeout(socket.closed, 3000, label), label).toBe(4403);
        expect(socket.isConnected(), label).toBe(false);
      } finally {
        await disposeAll([socket]);
      }
    }
  });

  it('closes the 11th socket of one user with 4429; other users still connect; a freed slot can be reused', async () => {
    const user = await registerUser(server.client());
    const someoneElse = await registerUser(server.client());
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const socket = connect(server.url, bearer(user.accessToken));
        sockets.push(socket);
        await withTimeout(socket.connected, 3000, `socket ${i + 1}`);
      }
      const eleventh = connect(server.url, bearer(user.accessToken));
      sockets.push(eleventh);
      expect(await withTimeout(eleventh.closed, 3000, '11th socket')).toBe(4429);
      expect(eleventh.isConnected()).toBe(false);

      const other = connect(server.url, bearer(someoneElse.accessToken));
      sockets.push(other);
      await withTimeout(other.connected, 3000, 'another user');
      expect((await query(other.client, ME)).data.me.id).toBe(someoneElse.id);
      // The first ten still work.
      expect((await query(sockets[0]!.client, ME)).data.me.id).toBe(user.id);

      // Closing one frees a slot (the server notices the close shortly after).
      await sockets[0]!.client.dispose();
      let reconnected: Socket | undefined;
      const deadline = Date.now() + 3000;
      while (!reconnected && Date.now() < deadline) {
        await sleep(100);
        const attempt = connect(server.url, bearer(user.accessToken));
        sockets.push(attempt);
        const outcome = await withTimeout(
          Promise.race([
            attempt.connected.then(() => 'connected'),
            attempt.closed.then((c) => `closed ${c}`),
          ]),
          3000,
          'reconnect',
        );
        if (outcome === 'connected') reconnected = attempt;
        else expect(outcome).toBe('closed 4429');
      }
      expect(reconnected, 'a slot freed by closing a socket is never given back').toBeDefined();
    } finally {
      await disposeAll(sockets);
    }
  });
});

describe('two server instances sharing PostgreSQL and Redis', () => {
  it.skipIf(!process.env.TEST_DATABASE_URL || !process.env.REDIS_URL)(
    'an alert written through A reaches its owner’s listener on B, and no other user’s',
    async () => {
      const database = await freshDatabase();
      const redisUrl = process.env.REDIS_URL!;
      const config = testConfig({
        jwtSecret: 'two-instances-share-this-secret-0123456789',
        databaseUrl: database.databaseUrl,
        dataDir: database.dataDir,
        redisUrl,
      });
      const servers: RunningServer[] = [];
      const sockets: Socket[] = [];
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      try {
        servers.push(await bootstrap({ config }));
        servers.push(await bootstrap({ config }));
        const [a, b] = servers as [RunningServer, RunningServer];
        expect(a.url).not.toBe(b.url);

        const owner = await userWithBudget(a, { amount: '200.00', alertThresholds: [50, 100] });
        const other = await userWithBudget(b, { amount: '200.00', alertThresholds: [50] });
        // A token issued by A is accepted by B: same secret, same database.
        const ownerOnB = connect(b.url, bearer(owner.user.accessToken));
        const otherOnA = connect(a.url, bearer(other.user.accessToken));
        const ownerOnA = connect(a.url, bearer(owner.user.accessToken));
        sockets.push(ownerOnB, otherOnA, ownerOnA);
        await withTimeout(Promise.all(sockets.map((s) => s.connected)), 3000, 'connect');
        const ownerListenerB = new Listener(ownerOnB.client);
        const otherListenerA = new Listener(otherOnA.client);
        const ownerListenerA = new Listener(ownerOnA.client);
        await waitForRedisSubscribers(redis, [
          `BUDGET_ALERT:${owner.user.id}`,
          `BUDGET_ALERT:${other.user.id}`,
        ]);
        await sleep(SETTLE_MS);

        await createTransaction(owner.client, {
          accountId: owner.account,
          type: 'EXPENSE',
          amount: '120.00',
          date: '2026-01-10',
        });
        const responded = performance.now();
        const onB = await ownerListenerB.event(1, 3000);
        const latency = onB.at - responded;
        const alert = onB.result.data!.budgetAlert;
        expect(onB.result.errors).toBeUndefined();
        expect(alert).toMatchObject({
          threshold: 50,
          spent: '120.00',
          available: '200.00',
          periodStart: '2026-01-01',
          periodEnd: '2026-01-31',
          read: false,
          budget: { id: owner.budget.id, name: owner.budget.name },
        });
        expect(alert.percentUsed).toBeCloseTo(percentOf(cents('120.00'), cents('200.00')), 9);
        // The owner's socket on A as well, with the same alert.
        expect((await ownerListenerA.event(1, 3000)).result.data!.budgetAlert.id).toBe(alert.id);
        console.info(
          `[subscriptions] cross-instance alert latency (A -> Redis -> B): ${latency.toFixed(1)} ms`,
        );
        expect(latency).toBeLessThan(LATENCY_LIMIT_MS);

        await sleep(QUIET_MS);
        expect(otherListenerA.events, 'another user’s listener on A received the alert').toEqual([]);
        expect(ownerListenerB.events).toHaveLength(1);
        expect(ownerListenerA.events).toHaveLength(1);

        // And the other way round: written through B, read on A; the owner hears nothing.
        await createTransaction(other.client, {
          accountId: other.account,
          type: 'EXPENSE',
          amount: '100.00',
          date: '2026-01-10',
        });
        const theirs = await otherListenerA.event(1, LATENCY_LIMIT_MS + 500);
        expect(theirs.result.data!.budgetAlert).toMatchObject({
          threshold: 50,
          budget: { id: other.budget.id },
        });
        await sleep(QUIET_MS);
        expect(ownerListenerB.events).toHaveLength(1);
        expect(ownerListenerA.events).toHaveLength(1);
      } finally {
        await disposeAll(sockets);
        for (const running of servers) await running.close();
        redis.disconnect();
        await database.drop();
      }
    },
    60_000,
  );
});
