// CPU profile of the server under one scenario's load: `npm run build && node dist/bench/profile.js
// list|list500|write|write-budgets|typename|ids [seconds] [connections]`. Starts the app with --cpu-prof on a copy of the
// --quick template (the full one with BENCH_PROFILE_FULL=1), loads it, stops it, and prints where its time went by package
// (lib/profile-summary). write-budgets is `write` with W3's ten budgets in place.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { login, startApp } from './lib/app.js';
import { measureLoad } from './lib/load.js';
import { copyDatabase, dropDatabase, run } from './lib/postgres.js';
import { seedTemplate } from './lib/seed.js';
import { createBudgets } from './scenarios/budget-writes.js';
import { settingsFrom } from './lib/settings.js';

const [scenario = 'list', seconds = '10', connections] = process.argv.slice(2);
const settings = settingsFrom(process.env.BENCH_PROFILE_FULL === '1' ? [] : ['--quick']);
const seeded = await seedTemplate(settings.sizes, settings.log);
const database = 'ledgerline_bench_profile';
const url = await copyDatabase(seeded.template, database);
const dir = await mkdtemp(join(tmpdir(), 'ledgerline-profile-'));
const app = await startApp(url, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
const { big } = seeded.users;
try {
  const token = await login(app.url, big.email);
  if (scenario === 'write-budgets') await createBudgets(app.url, token, big.expenseCategoryIds.slice(0, 4));
  const first = scenario === 'list500' ? 500 : 50;
  const list = JSON.stringify({
    query: `query ($first: Int!) { transactions(first: $first, sort: { field: DATE, direction: DESC }) {
      nodes { id type amount date description account { name currency } category { name } }
      pageInfo { hasNextPage endCursor } } }`,
    variables: { first },
  });
  let writes = 0;
  const write = () =>
    JSON.stringify({
      query:
        'mutation ($i: CreateTransactionInput!) { createTransaction(input: $i) { id amount date account { id balance } } }',
      variables: {
        i: {
          type: 'EXPENSE',
          amount: '1.00',
          date: '2026-01-01',
          accountId: big.accountIds[0],
          categoryId: big.expenseCategoryIds[(writes++ % 4) * Number(scenario === 'write-budgets')],
        },
      },
    });
  const result = await measureLoad(
    {
      url: app.url,
      connections: connections ? Number(connections) : scenario.startsWith('write') ? 8 : 16,
      warmupSeconds: 2,
      seconds: Number(seconds),
      headers: { authorization: `Bearer ${token}` },
      body: scenario.startsWith('write')
        ? write
        : scenario === 'typename'
          ? '{"query":"{ __typename }"}'
          : scenario === 'ids'
            ? JSON.stringify({ query: '{ transactions(first: 50) { nodes { id } } }' })
            : list,
      verify: (body) => !body.includes('"errors"'),
    },
    app,
  );
  console.log(
    `${scenario}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuMsPerRequest?.toFixed(2)} ms CPU/request, RSS ${result.rssMb?.toFixed(0)} MB`,
  );
} finally {
  await app.stop();
  await dropDatabase(database);
}
const [profile] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
const summary = fileURLToPath(new URL('./lib/profile-summary.js', import.meta.url));
console.log(`profile: ${join(dir, profile!)}`);
console.log(await run(process.execPath, [summary, join(dir, profile!), '30']));
