import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toCents } from '../../money/money.js';
import { budgetStatuses, thresholdReached, type BudgetRule } from '../budgets/budget-status.js';
import { periodContaining } from '../budgets/period.js';
import type { UserAlertingBudgets } from './alerting-budgets.js';

/** What a transaction write changed: an expense (before or after the write) on this date and category. */
export interface SpendingChange {
  type: string;
  date: string;
  categoryId: string | null;
}

const ALERT_VALUES =
  '(?::uuid, ?::uuid, ?::uuid, ?::int, ?::date, ?::date, ?::numeric, ?::numeric, ?::float8)';

/** The expenses among a write's changes (before and after). */
export const expensesOf = (changes: (SpendingChange | null)[]): SpendingChange[] =>
  changes.filter((change): change is SpendingChange => change?.type === 'EXPENSE');

/**
 * Evaluates, after the write committed, each budget that counts one of the changed expenses for
 * the period containing its date, and stores an alert for each threshold now reached; returns
 * the ids of the alerts created, to publish. Nothing serializes a user's writes here: each
 * evaluation sees every write committed before it (its own included), so the last of several
 * concurrent writes sees their sum, and the unique (budget, period, threshold) key with ON
 * CONFLICT DO NOTHING makes each alert fire once however many evaluations reach it.
 */
export async function evaluateBudgetAlerts(
  em: EntityManager,
  userId: string,
  known: UserAlertingBudgets,
  changes: (SpendingChange | null)[],
): Promise<string[]> {
  const expenses = expensesOf(changes);
  const budgets = known.counting(expenses.map((expense) => expense.categoryId));
  if (budgets.length === 0) return [];

  // Every (budget, period) the changes touch with a threshold not yet alerted, evaluated with
  // one aggregate query; none left (the common case once thresholds are reached) reads nothing.
  const requests = budgets.flatMap((budget) => {
    const rule: BudgetRule = {
      userId,
      categoryId: budget.categoryId,
      amount: budget.amount,
      period: budget.period,
      startDate: budget.startDate,
      rollover: budget.rollover,
    };
    const periods = new Map(
      expenses.map((e) => {
        const period = periodContaining(rule.period, rule.startDate, e.date);
        return [period.start, period] as const;
      }),
    );
    return [...periods.values()].flatMap((period) => {
      const open = known.open(budget, period.start);
      return open.length > 0 ? [{ budget, thresholds: open, rule, periods: [period] }] : [];
    });
  });
  if (requests.length === 0) return [];
  const statuses = await budgetStatuses(em, userId, requests);

  const reached = requests.flatMap(({ budget, thresholds }, index) => {
    const status = statuses[index]![0]!;
    const spent = toCents(status.spent);
    const available = toCents(status.available);
    return thresholds
      .filter((threshold) => thresholdReached(spent, available, threshold))
      .map((threshold) => ({ budgetId: budget.id, threshold, status }));
  });
  if (reached.length === 0) return [];
  // Joined to budgets, so a budget deleted since the write was read is skipped.
  const inserted = await em.execute<{ id: string }[]>(
    `insert into budget_alerts
       (id, user_id, budget_id, threshold, period_start, period_end, spent, available, percent_used,
        created_at, updated_at)
     select v.*, clock_timestamp(), clock_timestamp()
     from (values ${reached.map(() => ALERT_VALUES).join(', ')})
       as v(id, user_id, budget_id, threshold, period_start, period_end, spent, available, percent_used)
     join budgets b on b.id = v.budget_id
     on conflict (budget_id, period_start, threshold) do nothing
     returning id`,
    reached.flatMap(({ budgetId, threshold, status }) => [
      randomUUID(),
      userId,
      budgetId,
      threshold,
      status.periodStart,
      status.periodEnd,
      status.spent,
      status.available,
      status.percentUsed,
    ]),
  );
  // Stored now or by an earlier evaluation: either way these need not be evaluated again.
  for (const { budgetId, threshold, status } of reached) {
    known.markAlerted(budgetId, status.periodStart, threshold);
  }
  return inserted.map((row) => row.id);
}
