/**
 * Once per run, without TEST_DATABASE_URL: a migrated embedded database, which every test
 * server's fresh data directory starts as a copy of (tests/helpers/server.ts freshDatabase).
 * PGlite's initdb takes 5–7 s here and a copy about one, and the suite starts over a hundred
 * servers. tests/embedded-database.test.ts still starts from empty directories.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../src/server.js';
import { EMBEDDED_TEMPLATE_ENV, testConfig } from './helpers/server.js';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-template-'));
  const server = await bootstrap({ config: testConfig({ dataDir: dir }) });
  await server.close();
  // Read by the test workers, which start after this.
  process.env[EMBEDDED_TEMPLATE_ENV] = join(dir, 'pgdata');
  return () => rm(dir, { recursive: true, force: true });
}
