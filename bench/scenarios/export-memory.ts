// Export memory benchmark: seeds 100,000 transactions, streams them through
// GET /export/transactions (CSV and JSON) and prints the server process's RSS growth, against a
// 1,000-row baseline export run in the same process. Run by the suite as E1 (npm run bench), or
// alone: node --expose-gc dist/bench/scenarios/export-memory.js (uses DATABASE_URL when set,
// else a throw-away embedded database). Its last line is a JSON summary for the suite.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { findBalanceDrift, findTotalsDrift, insertRecountedTotals } from '../../src/modules/ledger/verify.js';
import { bootstrap } from '../../src/server.js';
import { gql as request } from '../lib/app.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BASELINE_ROWS = 1_000;
const MB = 1024 * 1024;

const dataDir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-'));
const config = loadConfig({
  ...process.env,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  BCRYPT_COST: '4',
});
const server = await bootstrap({ config: { ...config, dataDir } });

const gql = <T>(query: string, variables: object, token?: string) =>
  request<T>(server.url, query, variables, token);

/** A user with `rows` transactions, bulk-inserted in SQL (with the matching balance) for speed. */
async function seed(rows: number): Promise<string> {
  const email = `bench-${rows}-${Date.now()}@example.com`;
  const { register } = await gql<{ register: { accessToken: string; user: { id: string } } }>(
    'mutation ($i: RegisterInput!) { register(input: $i) { accessToken user { id } } }',
    { i: { email, password: 'benchmark password' } },
  );
  const token = register.accessToken;
  const { createAccount } = await gql<{ createAccount: { id: string } }>(
    'mutation { createAccount(input: { name: "Bench", type: CHECKING }) { id } }',
    {},
    token,
  );
  const em = server.app.orm.em.fork();
  await em.transactional(async (tem) => {
    await tem.execute(
      `insert into transactions (id, user_id, account_id, type, amount, date, description, tags)
       select gen_random_uuid(), ?, ?, 'EXPENSE', ((n % 9000) + 100) / 100.0,
              date '2020-01-01' + (n % 2000), 'Benchmark row ' || n, array['bench']
       from generate_series(1, ?) as n`,
      [register.user.id, createAccount.id, rows],
    );
    await tem.execute(
      `update accounts set balance = opening_balance - (select sum(amount) from transactions where account_id = ?) where id = ?`,
      [createAccount.id, createAccount.id],
    );
    await tem.execute(insertRecountedTotals('t.user_id = ?'), [register.user.id]);
  });
  const drift = [
    ...(await findBalanceDrift(server.app.orm.em.fork(), register.user.id)),
    ...(await findTotalsDrift(server.app.orm.em.fork(), register.user.id)),
  ];
  if (drift.length) throw new Error(`Seeding left ledger drift: ${JSON.stringify(drift.slice(0, 3))}`);
  return token;
}

/** Streams one export to nowhere, sampling RSS; returns the peak growth over the start in MB. */
async function measure(
  token: string,
  format: 'csv' | 'json',
): Promise<{ growthMb: number; bytes: number; ms: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const began = Date.now();
  const response = await fetch(new URL(`/export/transactions?format=${format}`, server.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`export answered ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body!) bytes += (chunk as Uint8Array).length;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { growthMb: (peak - start) / MB, bytes, ms: Date.now() - began };
}

try {
  console.log(`Seeding ${BASELINE_ROWS} and ${ROWS} transactions…`);
  const small = await seed(BASELINE_ROWS);
  const large = await seed(ROWS);
  const summary: Record<string, { rows: number; growthMb: number; baselineGrowthMb: number; ms: number }> =
    {};
  for (const format of ['csv', 'json'] as const) {
    await measure(small, format); // warm-up: code paths, pools, JIT
    const baseline = await measure(small, format);
    const result = await measure(large, format);
    console.log(
      `${format.toUpperCase()}: ${ROWS} rows, ${(result.bytes / MB).toFixed(1)} MB in ${result.ms} ms; ` +
        `RSS growth ${result.growthMb.toFixed(1)} MB (baseline ${BASELINE_ROWS} rows: ${baseline.growthMb.toFixed(1)} MB; ` +
        `${(result.bytes / Math.max(1, baseline.bytes)).toFixed(0)}x the data)`,
    );
    if (result.growthMb >= 50) process.exitCode = 1;
    summary[format] = {
      rows: ROWS,
      growthMb: result.growthMb,
      baselineGrowthMb: baseline.growthMb,
      ms: result.ms,
    };
  }
  console.log(process.exitCode ? 'FAIL: RSS grew by 50 MB or more' : 'OK: RSS growth stayed under 50 MB');
  console.log(JSON.stringify(summary));
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
