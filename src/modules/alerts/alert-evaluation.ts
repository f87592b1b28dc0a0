import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NIL_UUID } from '../../db/ids.js';
import type { SqlParams } from '../../db/sql-params.js';
import { toCents } from '../../money/money.js';
import { budgetStatuses, thresholdReached, type BudgetRule } from '../budgets/budget-status.js';
import { periodContaining, type PeriodKind } from '../budgets/period.js';

/** What a transaction write changed: an expense (before or after the write) on this date and category. */
export interface SpendingChange {
  type: string;
  date: string;
  categoryId: string | null;
}

const ALERT_VALUES =
  '(?::uuid, ?::uuid, ?::uuid, ?::int, ?::date, ?::date, ?::numeric, ?::numeric, ?::float8)';

/** A budget that may count a write's expenses, as read with the write's locks. */
export interface CountingBudget {
  id: string;
  category_id: string | null;
  amount: string;
  period: PeriodKind;
  start_date: string;
  rollover: boolean;
  alert_thresholds: number[];
}

/**
 * A scalar subquery: the JSON array of the user's budgets that count expenses in any of
 * `categoryIds` (null: uncategorized), i.e. budgets of all expenses and budgets of one of
 * those categories or their ancestors. A write reads it with its locks, in the same statement.
 */
export function countingBudgetsColumn(
  userId: string,
  categoryIds: (string | null)[],
  params: SqlParams,
): string {
  if (categoryIds.length === 0) return `'[]'::json`;
  const ids = [...new Set(categoryIds.map((id) => id ?? NIL_UUID))];
  return `(select coalesce(json_agg(b order by b.id), '[]'::json) from (
      select id, category_id, amount::text as amount, period, start_date::text as start_date, rollover,
             alert_thresholds
      from budgets
      where user_id = ${params.add(userId)}::uuid and (category_id is null or category_id in (
        with recursive up(id, parent_id) as (
          select id, parent_id from categories
          where user_id = ${params.add(userId)}::uuid and id = any(${params.simpleArray(ids, 'uuid')})
          union
          select c.id, c.parent_id from categories c join up on c.id = up.parent_id
        )
        select id from up))
    ) b)`;
}

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
  budgets: CountingBudget[],
  changes: (SpendingChange | null)[],
): Promise<string[]> {
  const expenses = changes.filter((change): change is SpendingChange => change?.type === 'EXPENSE');
  const alerting = budgets.filter((budget) => budget.alert_thresholds.length > 0);
  if (expenses.length === 0 || alerting.length === 0) return [];

  // Every (budget, period) the changes touch, evaluated with one aggregate query.
  const requests = alerting.flatMap((budget) => {
    const rule: BudgetRule = {
      userId,
      categoryId: budget.category_id,
      amount: budget.amount,
      period: budget.period,
      startDate: budget.start_date,
      rollover: budget.rollover,
    };
    const periods = new Map(
      expenses.map((e) => {
        const period = periodContaining(rule.period, rule.startDate, e.date);
        return [period.start, period] as const;
      }),
    );
    return [...periods.values()].map((period) => ({ budget, rule, periods: [period] }));
  });
  const statuses = await budgetStatuses(em, userId, requests);

  const reached = requests.flatMap(({ budget }, index) => {
    const status = statuses[index]![0]!;
    const spent = toCents(status.spent);
    const available = toCents(status.available);
    return budget.alert_thresholds
      .filter((threshold) => thresholdReached(spent, available, threshold))
      .map((threshold) => [
        randomUUID(),
        userId,
        budget.id,
        threshold,
        status.periodStart,
        status.periodEnd,
        status.spent,
        status.available,
        status.percentUsed,
      ]);
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
    reached.flat(),
  );
  return inserted.map((row) => row.id);
}
