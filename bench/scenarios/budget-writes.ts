import { gql } from '../lib/app.js';
import { createBudget, day, fiveYearRolloverBudget, monthsAgo, type BudgetInput } from '../lib/budgets.js';
import { dropDatabase, sql } from '../lib/postgres.js';
import { mean, type Row } from '../lib/report.js';
import type { Seeded } from '../lib/seed.js';
import type { Settings } from '../lib/settings.js';
import { appWrites, type WriteLoad } from './writes.js';

const DATABASE = 'ledgerline_bench_budget_writes';

/**
 * Added to the current month's spending for the budget whose last threshold is crossed under
 * load: two of the writes' 12.34, so even a slow run crosses it.
 */
const HEADROOM_CENTS = 2 * 1234;

/**
 * Ten budgets of the user, over the four expense categories the writes use (`c`): MONTHLY,
 * WEEKLY and YEARLY; seven on a category, three on every expense (the five-year MONTHLY
 * rollover among them); most with amounts far below what the seeded history already spends,
 * so each write reaches their thresholds, and one never reached. The budget marked `calibrated`
 * gets its amount set to its spending at the start plus HEADROOM_CENTS, so its 100 % threshold
 * is crossed by the load itself (by the second write on its category, under concurrency).
 */
function budgets(c: string[]): (BudgetInput & { calibrated?: boolean })[] {
  return [
    fiveYearRolloverBudget(),
    { categoryId: c[0], period: 'MONTHLY', amount: '100.00', alertThresholds: [50, 80, 100] },
    { categoryId: c[0], period: 'WEEKLY', amount: '100.00', alertThresholds: [50, 80, 100] },
    { categoryId: c[1], period: 'YEARLY', amount: '5000.00', alertThresholds: [50, 80, 100] },
    { categoryId: c[1], period: 'MONTHLY', amount: '800.00', rollover: true, startDate: day(monthsAgo(12)) },
    { categoryId: c[2], period: 'WEEKLY', amount: '150.00', alertThresholds: [50, 100] },
    { categoryId: c[2], period: 'MONTHLY', amount: '1.00', alertThresholds: [90, 100], calibrated: true },
    { period: 'WEEKLY', amount: '1500.00' },
    { period: 'YEARLY', amount: '1000000000.00', alertThresholds: [25, 50, 75, 100] },
    { categoryId: c[3], period: 'MONTHLY', amount: '300.00' },
  ];
}

/**
 * W3: W1's createTransaction load (8 connections, EXPENSE over the user's 3 accounts) with the
 * user's 10 budgets in place, so every write evaluates the budgets of its category and alerts,
 * against the same load with no budget; both on fresh copies of the template, interleaved, each
 * ending with ledger:verify clean. The writes rotate over the budgets' four categories.
 */
export async function budgetWriteScenario(seeded: Seeded, settings: Settings): Promise<Row[]> {
  const user = seeded.users.big;
  const categoryIds = user.expenseCategoryIds.slice(0, 4);
  // Writes that evaluate budgets queue on the budgets' row locks: at a million rows of history
  // (before issue 13) each took 0.5-2 s, so one of 8 queued could wait past the app's 10 s
  // statement timeout and autocannon's 10 s, and the warm-up's queue would fill the measured
  // seconds. Slow is measured, not failed (as R2 does); both runs get the same settings.
  const load: WriteLoad = {
    database: DATABASE,
    accounts: user.accountIds,
    categoryIds,
    timeoutSeconds: 120,
    settleAfterWarmup: true,
    env: { DB_STATEMENT_TIMEOUT: '120s', HTTP_REQUEST_TIMEOUT: '120s' },
  };
  const scenario = 'W3 createTransaction, 10 budgets';
  const withBudgets: number[] = [];
  const withBudgetsCpu: number[] = [];
  const without: number[] = [];
  const withoutCpu: number[] = [];
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      settings.log(`${scenario}, round ${round}: no budget`);
      const plain = await appWrites(seeded, user, load, settings);
      without.push(plain.requestsPerSecond);
      withoutCpu.push(plain.cpuMsPerRequest);
      settings.log(
        `  ${plain.requestsPerSecond.toFixed(0)} tx/s, ${plain.cpuMsPerRequest.toFixed(2)} ms CPU per write`,
      );

      settings.log(`${scenario}, round ${round}: 10 budgets`);
      const budgeted = await appWrites(
        seeded,
        user,
        { ...load, prepare: (url, token) => createBudgets(url, token, categoryIds) },
        settings,
      );
      withBudgets.push(budgeted.requestsPerSecond);
      withBudgetsCpu.push(budgeted.cpuMsPerRequest);
      settings.log(
        `  ${budgeted.requestsPerSecond.toFixed(0)} tx/s, ${budgeted.cpuMsPerRequest.toFixed(2)} ms CPU per write`,
      );
      // The load must have run the alert evaluation, not only measured writes beside the budgets.
      const [alerts] = await sql<{ alerts: number; budgets: number }>(
        DATABASE,
        `select count(*)::int as alerts, count(distinct budget_id)::int as budgets from budget_alerts`,
      );
      if (!alerts || alerts.alerts === 0) throw new Error(`${scenario}: the writes created no budget alert`);
      settings.log(`  ${alerts.alerts} alerts on ${alerts.budgets} of the 10 budgets`);
    }
    return [
      {
        scenario,
        metric: 'tx/s, 8 connections',
        ours: mean(withBudgets),
        baseline: { name: 'no budget', value: mean(without) },
        higherIsBetter: true,
        target: '≥ 0.9× (issue 13)',
      },
      {
        scenario,
        metric: 'server CPU ms/write',
        ours: mean(withBudgetsCpu),
        baseline: { name: 'no budget', value: mean(withoutCpu) },
        higherIsBetter: false,
      },
    ];
  } finally {
    await dropDatabase(DATABASE);
  }
}

/** W3's ten budgets for the signed-in user (also used by `profile.js write-budgets`). */
export async function createBudgets(url: string, token: string, categoryIds: string[]): Promise<void> {
  for (const { calibrated, ...input } of budgets(categoryIds)) {
    const id = await createBudget(url, token, input);
    if (!calibrated) continue;
    const { budget } = await gql<{ budget: { status: { spent: string } } }>(
      url,
      'query ($id: ID!) { budget(id: $id) { status { spent } } }',
      { id },
      token,
    );
    const amount = (Math.round(Number(budget.status.spent) * 100) + HEADROOM_CENTS) / 100;
    await gql(
      url,
      'mutation ($id: ID!, $i: UpdateBudgetInput!) { updateBudget(id: $id, input: $i) { id } }',
      { id, i: { amount: amount.toFixed(2) } },
      token,
    );
  }
}
