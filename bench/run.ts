// The benchmark suite: `npm run bench` (full: 1,000,000 rows, 10 s runs, two rounds) or
// `npm run bench -- --quick` (100,000 rows, 3 s runs, under 3 minutes once the template and the
// peer are in place). `--only=R1,W1,W3,R2,S1,E1,I1` picks scenarios (W3: createTransaction with 10
// budgets against none); `--rounds=N` measures each figure N times in turn (default 2, quick 1) for
// figures whose runs differ; `--reseed` rebuilds the template.
// Prints one markdown table (stdout): each figure, its baseline from the same run, the ratio.
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/postgres) and pgbench.
import { cpus, loadavg, totalmem } from 'node:os';
import { waitForQuiet } from './lib/quiet.js';
import { sql } from './lib/postgres.js';
import { table, type Row } from './lib/report.js';
import { seedTemplate } from './lib/seed.js';
import { settingsFrom } from './lib/settings.js';
import { installPostGraphile } from './peers/postgraphile.js';
import { budgetWriteScenario } from './scenarios/budget-writes.js';
import { exportScenario } from './scenarios/export.js';
import { historyScenarios } from './scenarios/history.js';
import { importScenario } from './scenarios/import.js';
import { readScenarios } from './scenarios/reads.js';
import { subscriptionScenario } from './scenarios/subscriptions.js';
import { writeScenarios } from './scenarios/writes.js';

const argv = process.argv.slice(2);
const settings = settingsFrom(argv);
const only = argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const selected = (name: string) => !only || only.includes(name);
const began = Date.now();

if (selected('R1')) await installPostGraphile(settings.log);
const seeded = await seedTemplate(settings.sizes, settings.log, { rebuild: argv.includes('--reseed') });
const load = await waitForQuiet(settings.quick ? 30_000 : 120_000, settings.log);

const rows: Row[] = [];
if (selected('R1')) rows.push(...(await readScenarios(seeded, settings)));
if (selected('W1')) rows.push(...(await writeScenarios(seeded, settings)));
if (selected('W3')) rows.push(...(await budgetWriteScenario(seeded, settings)));
if (selected('R2')) rows.push(...(await historyScenarios(seeded, settings)));
if (selected('S1')) rows.push(...(await subscriptionScenario(settings)));
if (selected('E1')) rows.push(...(await exportScenario(settings)));
if (selected('I1')) rows.push(...(await importScenario(settings)));

const [{ server_version: version } = { server_version: '?' }] = await sql<{ server_version: string }>(
  'postgres',
  'show server_version',
);
console.log(`## Benchmark run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${settings.quick ? ' (--quick)' : ''}

Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; PostgreSQL ${version}.
Data: ${seeded.users.big.rows.toLocaleString('en')} transactions for one user, ${seeded.users.small.rows.toLocaleString('en')} for another.
Load: ${settings.seconds} s measured after ${settings.warmupSeconds} s warm-up, ${settings.rounds} interleaved round(s); load generator on the same cores.
1-minute load average: ${load.toFixed(2)} when measuring began, ${loadavg()[0]!.toFixed(2)} at the end. Run took ${Math.round((Date.now() - began) / 1000)} s.
Ratio: ours ÷ baseline where higher is better (req/s), baseline ÷ ours where lower is better (ms, MB): above 1 beats the baseline.

${table(rows)}`);
