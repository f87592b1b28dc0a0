import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { login, startApp } from '../lib/app.js';
import { measureLoad } from '../lib/load.js';
import { copyDatabase, dropDatabase, libpqEnv, run } from '../lib/postgres.js';
import { mean, type Row } from '../lib/report.js';
import type { Seeded, SeededUser } from '../lib/seed.js';
import type { Settings } from '../lib/settings.js';

const CREATE = `mutation ($i: CreateTransactionInput!) {
  createTransaction(input: $i) { id amount date account { id balance } }
}`;
const VERIFY = fileURLToPath(new URL('../../src/scripts/ledger-verify.js', import.meta.url));
const DATABASE = 'ledgerline_bench_writes';
const today = () => new Date().toISOString().slice(0, 10);

/**
 * The database's limit for the same write: BEGIN; INSERT the row; UPDATE the balance; COMMIT,
 * prepared, over the same accounts (chosen at random per transaction).
 */
const PGBENCH_WRITE = `\\set n random(1, :accounts)
BEGIN;
INSERT INTO transactions (id, user_id, account_id, category_id, type, amount, date)
  VALUES (gen_random_uuid(), :user, (string_to_array(:ids, ','))[:n]::uuid, :category, 'EXPENSE', 12.34, current_date);
UPDATE accounts SET balance = balance - 12.34, updated_at = now() WHERE id = (string_to_array(:ids, ','))[:n]::uuid;
COMMIT;
`;

/**
 * W1: createTransaction (EXPENSE) at 8 connections over the user's 3 accounts; W2: the same on
 * one account (every write queues on one row lock). Each run starts from a fresh copy of the
 * template and ends with ledger:verify, which must be clean; pgbench's minimal write is measured
 * the same way.
 */
export async function writeScenarios(seeded: Seeded, settings: Settings): Promise<Row[]> {
  const user = seeded.users.big;
  const rows: Row[] = [];
  const cases = [
    { scenario: 'W1 createTransaction, 3 accounts', accounts: user.accountIds },
    { scenario: 'W2 createTransaction, 1 account', accounts: user.accountIds.slice(0, 1) },
  ];
  try {
    for (const { scenario, accounts } of cases) {
      const ours: number[] = [];
      const oursCpu: number[] = [];
      const database: number[] = [];
      for (let round = 1; round <= settings.rounds; round++) {
        settings.log(`${scenario}, round ${round}: Ledgerline`);
        const app = await appWrites(seeded, user, { database: DATABASE, accounts }, settings);
        ours.push(app.requestsPerSecond);
        oursCpu.push(app.cpuMsPerRequest);
        settings.log(`${scenario}, round ${round}: pgbench`);
        database.push(await pgbenchWrites(seeded, user, accounts, settings));
      }
      rows.push(
        {
          scenario,
          metric: 'tx/s, 8 connections',
          ours: mean(ours),
          baseline: { name: 'pgbench INSERT+UPDATE', value: mean(database) },
          higherIsBetter: true,
          target: '≥ 0.5×',
        },
        { scenario, metric: 'server CPU ms/write', ours: mean(oursCpu), higherIsBetter: false },
      );
    }
    return rows;
  } finally {
    await dropDatabase(DATABASE);
  }
}

/** One createTransaction load: where it runs, what it writes, what is set up before. */
export interface WriteLoad {
  /** The database the run's fresh copy of the template is made as (left in place afterwards). */
  database: string;
  /** Accounts the writes rotate over. */
  accounts: string[];
  /** Expense categories the writes rotate over (default: the user's first). */
  categoryIds?: string[];
  /** Runs on the started app with the user's token before the load (e.g. creating budgets). */
  prepare?: (appUrl: string, token: string) => Promise<void>;
  /** For writes that may take seconds each: see LoadOptions, and the app's own timeouts. */
  timeoutSeconds?: number;
  settleAfterWarmup?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * createTransaction (EXPENSE, 12.34, today) at 8 connections on a fresh copy of the template,
 * rotating over the accounts and, for each account in turn, the categories; then ledger:verify,
 * which must be clean.
 */
export async function appWrites(seeded: Seeded, user: SeededUser, load: WriteLoad, settings: Settings) {
  const url = await copyDatabase(seeded.template, load.database);
  const app = await startApp(url, load.env);
  try {
    const token = await login(app.url, user.email);
    await load.prepare?.(app.url, token);
    const { accounts } = load;
    const categories = load.categoryIds ?? user.expenseCategoryIds.slice(0, 1);
    let next = 0;
    const result = await measureLoad(
      {
        url: app.url,
        connections: 8,
        warmupSeconds: settings.warmupSeconds,
        seconds: settings.seconds,
        headers: { authorization: `Bearer ${token}` },
        body: () => {
          const n = next++;
          return JSON.stringify({
            query: CREATE,
            variables: {
              i: {
                type: 'EXPENSE',
                amount: '12.34',
                date: today(),
                accountId: accounts[n % accounts.length],
                categoryId: categories[Math.floor(n / accounts.length) % categories.length],
                description: 'bench write',
              },
            },
          });
        },
        verify: (body) => !body.includes('"errors"') && body.includes('"balance"'),
        timeoutSeconds: load.timeoutSeconds,
        settleAfterWarmup: load.settleAfterWarmup,
      },
      app,
    );
    await app.stop();
    // Every write moved a balance: recomputing them all from the rows must agree.
    await run(process.execPath, [VERIFY], { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' });
    return { requestsPerSecond: result.requestsPerSecond, cpuMsPerRequest: result.cpuMsPerRequest ?? NaN };
  } finally {
    await app.stop();
  }
}

async function pgbenchWrites(seeded: Seeded, user: SeededUser, accounts: string[], settings: Settings) {
  await copyDatabase(seeded.template, DATABASE);
  const script = join(tmpdir(), 'ledgerline-bench-write.pgbench');
  await writeFile(script, PGBENCH_WRITE);
  const args = ['-n', '-M', 'prepared', '-c', '8', '-j', '2', '-f', script];
  const vars = [
    `user=${user.id}`,
    `ids=${accounts.join(',')}`,
    `accounts=${accounts.length}`,
    `category=${user.expenseCategoryIds[0]}`,
  ].flatMap((v) => ['-D', v]);
  const env = libpqEnv(DATABASE);
  await run('pgbench', [...args, ...vars, '-T', String(settings.warmupSeconds)], env);
  const output = await run('pgbench', [...args, ...vars, '-T', String(settings.seconds)], env);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
  if (!tps) throw new Error(`pgbench printed no tps:\n${output}`);
  return Number(tps);
}
