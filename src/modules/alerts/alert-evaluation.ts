import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NIL_UUID } from '../../db/ids.js';
import { toCents } from '../../money/money.js';
import { budgetStatuses, thresholdReached, type BudgetRule } from '../budgets/budget-status.js';
import { periodContaining, type PeriodKind } from '../budgets/period.js';

/** What a transaction write changed: an expense (before or after the write) on this date and category. */
export interface SpendingChange {
  type: string;
  date: string;
  categoryId: string | null;
}

interface LockedBudget {
  id: string;
  category_id: string | null;
  amount: string;
  period: PeriodKind;
  start_date: string;
  rollover: boolean;
  alert_thresholds: number[];
}

/**
 * Evaluates every budget of the user that counts one of the changed expenses, for the period
 * containing its date, and stores an alert for each threshold now reached. Runs inside the
 * write's database transaction: a rollback stores nothing. The budgets are row-locked first, so
 * concurrent writes evaluate one after another and each sees the others' committed spending;
 * the unique (budget, period, threshold) key with ON CONFLICT DO NOTHING makes each alert fire
 * once. Returns the ids of the alerts created, to publish after the commit.
 */
export async function evaluateBudgetAlerts(
  em: EntityManager,
  userId: string,
  changes: (SpendingChange | null)[],
): Promise<string[]> {
  const expenses = changes.filter((change): change is SpendingChange => change?.type === 'EXPENSE');
  if (expenses.length === 0) return [];
  const categoryIds = [...new Set(expenses.map((e) => e.categoryId ?? NIL_UUID))];
  // Budgets of the changed categories or any of their ancestors, and budgets of every expense.
  const budgets = await em.execute<LockedBudget[]>(
    `with recursive up(id, parent_id) as (
       select id, parent_id from categories where user_id = ? and id in (?)
       union
       select c.id, c.parent_id from categories c join up on c.id = up.parent_id
     )
     select id, category_id, amount::text, period, start_date::text, rollover, alert_thresholds
     from budgets
     where user_id = ? and (category_id is null or category_id in (select id from up))
     order by id
     for update`,
    [userId, categoryIds, userId],
  );

  // Every (budget, period) the changes touch, evaluated with one aggregate query.
  const requests = budgets.flatMap((budget) => {
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

  const created: string[] = [];
  for (const [index, { budget }] of requests.entries()) {
    const status = statuses[index]![0]!;
    const spent = toCents(status.spent);
    const available = toCents(status.available);
    for (const threshold of budget.alert_thresholds) {
      if (!thresholdReached(spent, available, threshold)) continue;
      // clock_timestamp(), not now(): now() is when the transaction began, and a write that
      // waited for the budget lock would otherwise look older than alerts committed before it.
      const inserted = await em.execute<{ id: string }[]>(
        `insert into budget_alerts
           (id, user_id, budget_id, threshold, period_start, period_end, spent, available, percent_used,
            created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, clock_timestamp(), clock_timestamp())
         on conflict (budget_id, period_start, threshold) do nothing
         returning id`,
        [
          randomUUID(),
          userId,
          budget.id,
          threshold,
          status.periodStart,
          status.periodEnd,
          status.spent,
          status.available,
          status.percentUsed,
        ],
      );
      created.push(...inserted.map((row) => row.id));
    }
  }
  return created;
}
