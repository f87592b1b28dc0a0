import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../lib/postgres.js';
import { freePort, startService, type Service } from '../lib/processes.js';

const SOURCE = fileURLToPath(new URL('../../../bench/peers/postgraphile/', import.meta.url));
/** Outside the repository: ~480 MB (PostGraphile and a Node 22 binary from the npm registry). */
const SCRATCH = join(
  process.env.BENCH_CACHE ?? join(homedir(), '.cache', 'ledgerline-bench'),
  'postgraphile',
);

/**
 * Installs the peer into the scratch folder when its package.json changed (or on first use).
 * PostGraphile 5 needs Node >= 22; the `node` package in its package.json brings that binary.
 */
export async function installPostGraphile(log: (line: string) => void): Promise<void> {
  await mkdir(SCRATCH, { recursive: true });
  const wanted = await readFile(join(SOURCE, 'package.json'), 'utf8');
  const installed = await readFile(join(SCRATCH, 'package.json'), 'utf8').catch(() => '');
  if (wanted !== installed || !existsSync(join(SCRATCH, 'node_modules', '.bin', 'node'))) {
    log(`installing PostGraphile 5 into ${SCRATCH} (once, ~480 MB)…`);
    await copyFile(join(SOURCE, 'package.json'), join(SCRATCH, 'package.json'));
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-package-lock'],
      { ...process.env },
      SCRATCH,
    );
  }
  await copyFile(join(SOURCE, 'graphile.config.mjs'), join(SCRATCH, 'graphile.config.mjs'));
}

export async function startPostGraphile(databaseUrl: string): Promise<Service> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  return startService({
    name: 'PostGraphile 5',
    command: join(SCRATCH, 'node_modules', '.bin', 'node'),
    args: [join(SCRATCH, 'node_modules', 'postgraphile', 'dist', 'cli-run.js'), '-C', 'graphile.config.mjs'],
    cwd: SCRATCH,
    env: {
      PATH: process.env.PATH,
      GRAPHILE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
    },
    url,
    probe: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{__typename}"}',
    },
  });
}

/** The R1 page in PostGraphile's names (simplified inflection: rowId, relations by column). */
export const POSTGRAPHILE_LIST = `query ($user: UUID!, $first: Int!) {
  transactions(first: $first, condition: { userId: $user }, orderBy: [DATE_DESC, ROW_ID_DESC]) {
    nodes { rowId type amount date description account { name currency } category { name } }
    pageInfo { hasNextPage endCursor }
  }
}`;
