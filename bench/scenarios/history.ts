import { gql, login, startApp } from '../lib/app.js';
import { createBudget, day, fiveYearRolloverBudget, monthsAgo } from '../lib/budgets.js';
import { interleavedP50 } from '../lib/load.js';
import { copyDatabase, dropDatabase } from '../lib/postgres.js';
import type { Row } from '../lib/report.js';
import type { Seeded } from '../lib/seed.js';
import type { Settings } from '../lib/settings.js';

const DATABASE = 'ledgerline_bench_history';

const READS: { name: string; query: string; variables: () => object; target?: string }[] = [
  {
    name: 'budgets { status history(periods: 12) }, one 5-year MONTHLY rollover budget',
    query: '{ budgets { id status { spent available } history(periods: 12) { spent available } } }',
    variables: () => ({}),
  },
  {
    name: 'dashboard with that budget',
    query:
      '{ dashboard { totalBalance incomeThisMonth expensesThisMonth budgets { status { spent } } recentTransactions { id } } }',
    variables: () => ({}),
  },
  {
    name: 'cashflow, 5 years by MONTH',
    query:
      'query ($from: Date!, $to: Date!) { cashflow(from: $from, to: $to, interval: MONTH) { income expenses } }',
    variables: () => ({ from: day(monthsAgo(60)), to: day(new Date()) }),
  },
  {
    name: 'monthlyReport of last month',
    query:
      'query ($m: Month!) { monthlyReport(month: $m) { income expenses expensesByCategory { total count } } }',
    variables: () => ({ m: day(monthsAgo(1)).slice(0, 7) }),
  },
  {
    name: 'transactions(first: 50) { totalCount }',
    query: '{ transactions(first: 50) { totalCount nodes { id } } }',
    variables: () => ({}),
    target: '≤ 20 ms p50 at 1M and ≈ 1× (issue 13)',
  },
  {
    name: 'transactions(first: 50, last 12 months) { totalCount }',
    query:
      'query ($f: TransactionFilter!) { transactions(first: 50, filter: $f) { totalCount nodes { id } } }',
    variables: () => ({ f: { from: day(monthsAgo(12)), to: day(new Date()) } }),
    target: '≤ 20 ms p50 at 1M and ≈ 1× (issue 13)',
  },
];

/**
 * R2: reads whose cost may grow with a user's history, p50 on one connection (the two users'
 * calls taking turns) for the user with the large history against the one with 10,000 rows. Each user gets a MONTHLY rollover budget
 * for all expenses that started five years ago.
 */
export async function historyScenarios(seeded: Seeded, settings: Settings): Promise<Row[]> {
  const url = await copyDatabase(seeded.template, DATABASE);
  const app = await startApp(url, { DB_STATEMENT_TIMEOUT: '120s' });
  try {
    const tokens = { big: '', small: '' };
    for (const size of ['big', 'small'] as const) {
      tokens[size] = await login(app.url, seeded.users[size].email);
      await createBudget(app.url, tokens[size], fiveYearRolloverBudget());
    }
    // Cheap reads now (about 10-20 ms), so enough calls for a steady p50.
    const calls = settings.quick ? 5 : 21;
    const rows: Row[] = [];
    for (const read of READS) {
      settings.log(`R2 ${read.name}`);
      const call = (token: string) => () =>
        gql(app.url, read.query, read.variables(), token).then(() => undefined);
      // Taking turns, so a machine still busy from the previous scenario weighs on both alike.
      const [big, small] = (await interleavedP50([call(tokens.big), call(tokens.small)], calls, 2)) as [
        number,
        number,
      ];
      rows.push({
        scenario: `R2 ${read.name}`,
        metric: `p50 ms at ${seeded.users.big.rows.toLocaleString('en')} rows`,
        ours: big,
        baseline: { name: `same at ${seeded.users.small.rows.toLocaleString('en')} rows`, value: small },
        higherIsBetter: false,
        target: read.target ?? '≈ 1× (issue 13)',
      });
    }
    return rows;
  } finally {
    await app.stop();
    await dropDatabase(DATABASE);
  }
}
