import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { categoryId, createAccount, createTransaction } from './helpers/ledger.js';
import { capturingLogger } from './helpers/logs.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { TcpProxy } from './helpers/tcp-proxy.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';

const redisUrl = process.env.REDIS_URL;

// Redis is reached through a proxy that the test can cut and restore, like a network outage.
describe.skipIf(!redisUrl)('Redis outage', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let user: RegisteredUser;
  let accountId: string;
  let groceries: string;
  let budgetId: string;
  const { log, lines: logged } = capturingLogger('info');
  const linesSaying = (text: string) => logged.filter((line) => line.includes(text));

  beforeAll(async () => {
    const target = new URL(redisUrl!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    server = await startTestServer({ redisUrl: `redis://127.0.0.1:${proxy.port}` }, { log });
    user = await registerUser(server.client());
    const client = server.client(user.accessToken);
    accountId = (await createAccount(client, { openingBalance: '1000' })).id;
    groceries = await categoryId(client, 'Groceries');
    const budget = await client.data(
      'mutation ($c: ID) { createBudget(input: { categoryId: $c, amount: "100", period: MONTHLY, startDate: "2026-01-01", alertThresholds: [10, 20, 30] }) { id } }',
      { c: groceries },
    );
    budgetId = budget.createBudget.id;
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
  });

  const readiness = async () =>
    (await (await fetch(`${server.origin}/readyz`)).json()) as Record<string, unknown>;
  const waitFor = async (check: () => Promise<boolean>, ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };
  const spend = (amount: string, date: string) =>
    createTransaction(server.client(user.accessToken), {
      accountId,
      type: 'EXPENSE',
      amount,
      date,
      categoryId: groceries,
    });

  it('keeps writing and storing alerts while Redis is down, and delivers again once it is back', async () => {
    expect(await waitFor(async () => (await readiness()).pubSub === 'ready', 5000)).toBe(true);
    const received: number[] = [];
    const listener: Client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${user.accessToken}` },
      retryAttempts: 0,
    });
    listener.subscribe(
      { query: 'subscription { budgetAlert { threshold budget { id } } }' },
      {
        next: (event: any) => received.push(event.data.budgetAlert.threshold),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await spend('10', '2026-03-05'); // reaches 10%
      expect(await waitFor(async () => received.includes(10), 2000)).toBe(true);

      await proxy.stop();
      expect(await waitFor(async () => (await readiness()).pubSub === 'down', 5000)).toBe(true);
      const ready = await fetch(`${server.origin}/readyz`);
      expect(ready.status).toBe(200); // the database answers; alerts are stored meanwhile
      // Writes and rate-limited auth keep working; the alert is stored and listed.
      await spend('10', '2026-03-06'); // reaches 20%
      await registerUser(server.client());
      const stored = await server
        .client(user.accessToken)
        .data('{ budgetAlerts { threshold budget { id } } }');
      expect(stored.budgetAlerts.map((a: any) => a.threshold).sort()).toEqual([10, 20]);
      expect(stored.budgetAlerts.every((a: any) => a.budget.id === budgetId)).toBe(true);

      // One warning for the outage however many connections and reconnect attempts, no stack.
      expect(linesSaying('Redis unreachable')).toHaveLength(1);
      expect(linesSaying('"stack"')).toEqual([]);

      await proxy.start();
      expect(await waitFor(async () => (await readiness()).pubSub === 'ready', 10_000)).toBe(true);
      expect(await waitFor(async () => linesSaying('Redis reachable again').length === 1, 10_000)).toBe(true);
      await spend('10', '2026-03-07'); // reaches 30%: delivered live again
      expect(await waitFor(async () => received.includes(30), 3000)).toBe(true);
    } finally {
      await listener.dispose();
    }
  }, 60_000);
});
