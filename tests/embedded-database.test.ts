import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient } from './helpers/graphql.js';
import { testConfig } from './helpers/server.js';
import { LOGIN, registerUser } from './helpers/users.js';
import { bootstrap } from '../src/server.js';

// These always run on PGlite, also in the CI pass that points other tests at PostgreSQL.
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ledgerline-embedded-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const config = () => testConfig({ dataDir, databaseUrl: undefined });

describe('embedded database', () => {
  it('keeps users and sign-in secrets across a restart', async () => {
    const first = await bootstrap({ config: config() });
    const user = await registerUser(new GraphQLClient(first.url));
    await first.close();

    const second = await bootstrap({ config: config() });
    try {
      const client = new GraphQLClient(second.url);
      // The generated JWT secret is kept in DATA_DIR, so the old access token still verifies.
      expect((await new GraphQLClient(second.url, user.accessToken).data('{ me { id } }')).me.id).toBe(
        user.id,
      );
      const login = await client.data(LOGIN, { input: { email: user.email, password: user.password } });
      expect(login.login.user.id).toBe(user.id);
    } finally {
      await second.close();
    }
  });

  it('refuses a second server on the same DATA_DIR with a clear message', async () => {
    const first = await bootstrap({ config: config() });
    try {
      await expect(bootstrap({ config: config() })).rejects.toThrow(/in use by another Ledgerline server/);
      // The first server is unharmed.
      expect((await fetch(first.url.replace('/graphql', '/readyz'))).status).toBe(200);
    } finally {
      await first.close();
    }
    // Once the first has stopped, the directory can be opened again.
    const again = await bootstrap({ config: config() });
    await again.close();
  });
});
