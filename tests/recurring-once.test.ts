/**
 * Each occurrence of a recurring transaction is materialized once: concurrent ticks in one
 * process, three server instances on one PostgreSQL ticking at once (TEST_DATABASE_URL), and a
 * restart that catches up without repeating.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeDue } from '../src/modules/recurring/materialize.js';
import { bootstrap, type RunningServer } from '../src/server.js';
import { GraphQLClient } from './helpers/graphql.js';
import {
  CREATE,
  LONG_TTL,
  TRANSACTIONS,
  TestClock,
  noDrift,
  person,
  schedule,
  tickAll,
  transactions,
} from './helpers/recurring.js';
import { freshDatabase, startTestServer, testConfig, type TestServer } from './helpers/server.js';

const clock = new TestClock('2031-01-15');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ recurringTickMs: 0, accessTokenTtl: LONG_TTL }, { clock });
});
afterAll(() => server?.close());

describe('recurring transactions: exactly once', () => {
  it('concurrent ticks write each occurrence once (two in one process)', async () => {
    clock.set('2031-01-15');
    const p = await person(server);
    await schedule(p, { startDate: '2031-01-16', description: 'Concurrent', amount: '2' });
    await schedule(p, {
      frequency: 'WEEKLY',
      startDate: '2031-01-16',
      description: 'Concurrent weekly',
      amount: '3',
    });
    clock.set('2031-03-16'); // 60 daily and 9 weekly occurrences
    const deps = server.app;
    const results = await Promise.all([
      materializeDue(deps, { limit: 500 }),
      materializeDue(deps, { limit: 500 }),
      server.recurring.tick(),
    ]);
    await tickAll(server);
    const made = await transactions(p, 'Concurrent');
    expect(made).toHaveLength(69);
    expect(new Set(made.map((t) => `${t.description}/${t.date}`)).size).toBe(69);
    expect(results.some((r) => r.materialized > 0)).toBe(true);
    await noDrift(server);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'three instances on one PostgreSQL, ticking at once, materialize each occurrence once',
    async () => {
      const database = await freshDatabase();
      const config = testConfig({
        jwtSecret: 'three-instances-share-this-secret-0123456789',
        databaseUrl: database.databaseUrl,
        dataDir: database.dataDir,
        accessTokenTtl: LONG_TTL,
        recurringTickMs: 5,
      });
      const shared = new TestClock('2031-01-15');
      const servers: RunningServer[] = [];
      try {
        for (let i = 0; i < 3; i++) servers.push(await bootstrap({ config, clock: shared }));
        const p = await person({ client: (token) => new GraphQLClient(servers[0]!.url, token) });
        const create = (input: Record<string, unknown>) =>
          p.client.data(CREATE, { input: { type: 'EXPENSE', accountId: p.account, ...input } });
        await create({
          frequency: 'DAILY',
          startDate: '2031-01-16',
          amount: '1',
          description: 'Replica daily',
        });
        await create({
          frequency: 'MONTHLY',
          startDate: '2031-01-31',
          amount: '5',
          description: 'Replica monthly',
        });
        shared.set('2031-12-31'); // 350 + 12 occurrences, the instances ticking every 5 ms
        const made = async () => (await transactions(p, 'Replica')).length;
        for (let i = 0; i < 600 && (await made()) < 362; i++) await new Promise((r) => setTimeout(r, 50));
        // And all of them ticking by hand at once, a few more times.
        for (let round = 0; round < 3; round++) await Promise.all(servers.map((s) => s.recurring.tick()));
        const all = await transactions(p, 'Replica');
        expect(all).toHaveLength(362);
        expect(new Set(all.map((t) => `${t.description}/${t.date}`)).size).toBe(362);
        // 1000 - 350 × 1 - 12 × 5
        expect(all.at(-1).account.balance).toBe('590.00');
        await noDrift(servers[0]!);
      } finally {
        for (const running of servers) await running.close();
        await database.drop();
      }
    },
    120_000,
  );

  it('a restart neither repeats nor loses occurrences: the first tick catches up', async () => {
    const database = await freshDatabase();
    const config = testConfig({
      jwtSecret: 'restarts-keep-this-secret-0123456789abcdef',
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
      accessTokenTtl: LONG_TTL,
      recurringTickMs: 3_600_000, // only the tick at start runs during the test
    });
    const shared = new TestClock('2031-01-15');
    let running: RunningServer | undefined = await bootstrap({ config, clock: shared });
    try {
      const first = running;
      const p = await person({ client: (token) => new GraphQLClient(first.url, token) });
      await p.client.data(CREATE, {
        input: {
          type: 'EXPENSE',
          amount: '1',
          accountId: p.account,
          frequency: 'DAILY',
          startDate: '2031-01-10',
        },
      });
      shared.set('2031-01-20');
      await running.recurring.tick();
      await running.close();
      running = undefined;
      shared.set('2031-01-25');
      running = await bootstrap({ config, clock: shared });
      await running.recurring.tick(); // the one started at start, or a second finding nothing
      const again = new GraphQLClient(running.url, p.client.token);
      const dates = (await again.data(TRANSACTIONS, {})).transactions.nodes.map((t: any) => t.date);
      expect(dates).toHaveLength(16);
      expect(new Set(dates).size).toBe(16);
      expect(dates.at(-1)).toBe('2031-01-25');
      await noDrift(running);
    } finally {
      await running?.close();
      await database.drop();
    }
  }, 60_000);
});
