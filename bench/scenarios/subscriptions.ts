import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, startApp } from '../lib/app.js';
import { dropDatabase, sql, urlOf } from '../lib/postgres.js';
import type { Row } from '../lib/report.js';
import type { Settings } from '../lib/settings.js';

const DATABASE = 'ledgerline_bench_subscriptions';
const THRESHOLDS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(work));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * S1: 1,000 graphql-ws subscribers over 200 users (5 sockets each; --quick: 250 over 50), each
 * user with a budget of ten thresholds. Expenses cross one threshold per write, 8 writes at a
 * time; each alert's delivery time is measured from the write request to its arrival on each of
 * the user's sockets. Reports delivery p50/p99 and the server's RSS with the sockets open.
 */
export async function subscriptionScenario(settings: Settings): Promise<Row[]> {
  const users = settings.quick ? 50 : 200;
  const socketsPerUser = 5;
  settings.log(`S1 ${users * socketsPerUser} subscribers over ${users} users`);
  await dropDatabase(DATABASE);
  await sql('postgres', `create database "${DATABASE}"`);
  // Sign-up limits and bcrypt cost are for people, not for a benchmark that signs up 200 users.
  const app = await startApp(urlOf(DATABASE), {
    BCRYPT_COST: '4',
    AUTH_RATE_LIMIT: '1000000',
    WS_MESSAGES_PER_MINUTE: '100000',
  });
  const clients: Client[] = [];
  try {
    const people: { token: string; accountId: string; sent: Map<number, number>; delays: number[] }[] = [];
    await inBatches([...Array(users).keys()], 8, async (index) => {
      const { register } = await gql<{ register: { accessToken: string } }>(
        app.url,
        'mutation ($i: RegisterInput!) { register(input: $i) { accessToken } }',
        { i: { email: `subscriber-${index}@example.com`, password: 'benchmark password' } },
      );
      const token = register.accessToken;
      const { createAccount } = await gql<{ createAccount: { id: string } }>(
        app.url,
        'mutation { createAccount(input: { name: "Checking", type: CHECKING }) { id } }',
        {},
        token,
      );
      await gql(
        app.url,
        'mutation ($i: CreateBudgetInput!) { createBudget(input: $i) { id } }',
        { i: { amount: '100.00', period: 'MONTHLY', alertThresholds: THRESHOLDS } },
        token,
      );
      people.push({ token, accountId: createAccount.id, sent: new Map(), delays: [] });
    });
    const wsUrl = app.url.replace('http://', 'ws://');
    let expected = 0;
    let received = 0;
    let allArrived: () => void = () => {};
    await inBatches(people, 20, async (person) => {
      for (let s = 0; s < socketsPerUser; s++) {
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${person.token}` },
          lazy: false,
        });
        clients.push(client);
        await new Promise<void>((resolve, reject) => {
          client.subscribe<{ budgetAlert: { threshold: number } }>(
            { query: 'subscription { budgetAlert { threshold } }' },
            {
              next: ({ data }) => {
                const sent = person.sent.get(data!.budgetAlert.threshold);
                if (sent !== undefined) person.delays.push(performance.now() - sent);
                if (++received === expected) allArrived();
              },
              error: reject,
              complete: () => {},
            },
          );
          client.on('connected', () => setTimeout(resolve, 20));
        });
      }
    });
    const rssMb = app.rssMb();
    // Each write of 10.00 crosses the next threshold of its user's budget.
    const rounds = settings.quick ? 3 : THRESHOLDS.length;
    expected = users * socketsPerUser * rounds;
    const done = new Promise<void>((resolve) => (allArrived = resolve));
    for (let round = 0; round < rounds; round++) {
      await inBatches(people, 8, async (person) => {
        person.sent.set(THRESHOLDS[round]!, performance.now());
        await gql(
          app.url,
          'mutation ($i: CreateTransactionInput!) { createTransaction(input: $i) { id } }',
          {
            i: {
              type: 'EXPENSE',
              amount: '10.00',
              date: new Date().toISOString().slice(0, 10),
              accountId: person.accountId,
            },
          },
          person.token,
        );
      });
    }
    const timeout = new Promise<void>((_, reject) =>
      setTimeout(() => reject(new Error(`S1: ${received} of ${expected} alerts arrived`)), 60_000).unref(),
    );
    await Promise.race([done, timeout]);
    const delays = people.flatMap((person) => person.delays).sort((a, b) => a - b);
    return [
      {
        scenario: `S1 ${users * socketsPerUser} subscribers, ${users} users`,
        metric: 'alert delivery p50 ms',
        ours: percentile(delays, 0.5),
        higherIsBetter: false,
      },
      {
        scenario: `S1 ${users * socketsPerUser} subscribers, ${users} users`,
        metric: 'alert delivery p99 ms',
        ours: percentile(delays, 0.99),
        higherIsBetter: false,
      },
      {
        scenario: `S1 ${users * socketsPerUser} subscribers, ${users} users`,
        metric: 'server RSS MB with the sockets open',
        ours: rssMb,
        higherIsBetter: false,
      },
    ];
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await app.stop();
    await dropDatabase(DATABASE);
  }
}
