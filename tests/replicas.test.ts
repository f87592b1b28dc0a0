/**
 * Replicas on one PostgreSQL database: started at the same moment on an empty database, they all
 * come up (the migrations run once, the others wait on an advisory lock and find nothing to do)
 * and serve the same data, each keeping only what the database tells it is still current.
 */
import { describe, expect, it } from 'vitest';
import { bootstrap, type RunningServer } from '../src/server.js';
import { GraphQLClient } from './helpers/graphql.js';
import { capturingLogger } from './helpers/logs.js';
import { createBudget, listAlerts } from './helpers/budgets.js';
import { createAccount } from './helpers/ledger.js';
import { CREATE_TRANSACTION, ME } from './helpers/operations.js';
import { freshDatabase, testConfig } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

describe('replicas', () => {
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'three servers started at once on an empty database all come up',
    async () => {
      const database = await freshDatabase();
      const config = testConfig({
        jwtSecret: 'replicas-share-this-secret-0123456789abcdef',
        databaseUrl: database.databaseUrl,
        dataDir: database.dataDir,
      });
      const started = await Promise.allSettled([1, 2, 3].map(() => bootstrap({ config })));
      const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      try {
        expect(started.filter((result) => result.status === 'rejected')).toEqual([]);
        const [a, b, c] = servers as [RunningServer, RunningServer, RunningServer];
        const user = await registerUser(new GraphQLClient(a.url));
        for (const replica of [b, c]) {
          expect((await new GraphQLClient(replica.url, user.accessToken).data(ME)).me.id).toBe(user.id);
        }

        // Each server keeps the user's alerting budgets between writes: a budget created on
        // another server counts from the next write here.
        const onA = new GraphQLClient(a.url, user.accessToken);
        const { id: accountId } = await createAccount(onA, {
          name: 'Shared',
          currency: 'USD',
          openingBalance: '500.00',
        });
        const expense = { type: 'EXPENSE', date: '2026-03-02', accountId };
        await onA.data(CREATE_TRANSACTION, { input: { ...expense, amount: '10.00' } });
        await createBudget(new GraphQLClient(b.url, user.accessToken), {
          amount: '100.00',
          alertThresholds: [50],
        });
        await onA.data(CREATE_TRANSACTION, { input: { ...expense, amount: '45.00' } });
        const alerts = await listAlerts(new GraphQLClient(c.url, user.accessToken));
        expect(alerts.map((alert) => [alert.threshold, alert.spent])).toEqual([[50, '55.00']]);
      } finally {
        for (const server of servers) await server.close();
        await database.drop();
      }
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'warns at start when DATABASE_URL is set without a JWT_SECRET',
    async () => {
      const { log, lines } = capturingLogger('warn');
      const warned = () => lines.some((line) => line.includes('set the same JWT_SECRET on every replica'));
      for (const [jwtSecret, warns] of [
        [undefined, true],
        ['replicas-share-this-secret-0123456789abcdef', false],
      ] as const) {
        lines.length = 0;
        const database = await freshDatabase();
        const server = await bootstrap({
          config: testConfig({ jwtSecret, databaseUrl: database.databaseUrl, dataDir: database.dataDir }),
          log,
        });
        await server.close();
        await database.drop();
        expect(warned(), `JWT_SECRET ${jwtSecret ? 'set' : 'unset'}`).toBe(warns);
      }
    },
  );
});
