/**
 * npm run seed:demo: the demo user with a year of data up to "today" in an empty database (the
 * ledger verifies); a database with other users is refused unless forced; an existing demo email
 * is refused.
 */
import { describe, expect, it } from 'vitest';
import { AppStartError } from '../src/errors/app-start-error.js';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import { seedDemoInto } from '../src/scripts/demo-seeding.js';
import { bootstrap } from '../src/server.js';
import { GraphQLClient } from './helpers/graphql.js';
import { freshDatabase, testConfig } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

describe('seed:demo', () => {
  it('seeds an empty database up to today, and refuses one with other users unless forced', async () => {
    const database = await freshDatabase();
    const config = testConfig({
      jwtSecret: 'seed-demo-test-secret-0123456789abcdef0123',
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
    });
    const today = new Date(Date.UTC(2031, 6, 20));
    try {
      const demo = await seedDemoInto(config, { email: 'demo@example.com', today });

      const server = await bootstrap({ config });
      try {
        const client = new GraphQLClient(server.url, demo.accessToken);
        const data = await client.data(
          `{ accounts { id } budgets { id }
             latest: transactions(first: 1, sort: { field: DATE, direction: DESC }) { nodes { date } totalCount } }`,
        );
        expect(data.accounts).toHaveLength(3);
        expect(data.budgets).toHaveLength(3);
        expect(data.latest.totalCount).toBeGreaterThan(100);
        // Dated relative to "today": this month has rows, none after today.
        expect(data.latest.nodes[0].date).toMatch(/^2031-07-(0\d|1\d|20)$/);
        const em = server.app.orm.em.fork();
        expect([...(await findBalanceDrift(em)), ...(await findTotalsDrift(em))]).toEqual([]);
        await registerUser(new GraphQLClient(server.url), { email: 'someone@example.com' });
      } finally {
        await server.close();
      }

      await expect(seedDemoInto(config, { email: 'demo@example.com', force: true })).rejects.toThrow(
        /already exists/,
      );
      const refused = seedDemoInto(config, { email: 'demo2@example.com', today });
      await expect(refused).rejects.toBeInstanceOf(AppStartError);
      await expect(refused).rejects.toThrow(/already has 2 user\(s\).*--force/);
      const forced = await seedDemoInto(config, { email: 'demo2@example.com', force: true, today });
      expect(forced.email).toBe('demo2@example.com');
    } finally {
      await database.drop();
    }
  }, 240_000);
});
