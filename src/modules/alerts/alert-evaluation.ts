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

/** The expenses among a write's changes (before and after). */
export const expensesOf = (changes: (SpendingChange | null)[]): SpendingChange[] =>
  changes.filter((change): change is SpendingChange => change?.type === 'EXPENSE');

/** A budget that may count a write's expenses, as read with the write's locks. */
export interface CountingBudget {
  id: string;
  category_id: string | null;
  amount: string;
  period: PeriodKind;
  start_date: string;
  rollover: boolean;
  alert_thresholds: number[];
  /** Alerts already stored for this budget in periods around the changes' dates. */
  alerted: { period_start: string; threshold: number }[];
}

/**
 * A scalar subquery: the JSON array of the user's budgets that count expenses of `changes`
 * (budgets of all expenses, and budgets of the changes' categories or their ancestors), each
 * with the thresholds already alerted in its periods around the changes' dates. A write reads
 * it with its locks, in the same statement.
 */
export function countingBudgetsColumn(userId: string, changes: SpendingChange[], params: SqlParams): string {
  if (changes.length === 0) return `'[]'::json`;
  const ids = [...new Set(changes.map((change) => change.categoryId ?? NIL_UUID))];
  const dates = changes.map((change) => change.date).sort();
  return `(select coalesce(json_agg(b order by b.id), '[]'::json) from (
      select b.id, b.category_id, b.amount::text as amount, b.period, b.start_date::text as start_date,
             b.rollover, b.alert_thresholds,
             (select coalesce(json_agg(json_build_object('period_start', ba.period_start::text, 'threshold', ba.threshold)), '[]'::json)
              from budget_alerts ba
              where ba.budget_id = b.id and ba.period_end >= ${params.add(dates[0])}::date
                and ba.period_start <= ${params.add(dates.at(-1))}::date) as alerted
      from budgets b
      where b.user_id = ${params.add(userId)}::uuid and b.alert_thresholds <> '{}' and (b.category_id is null or b.category_id in (
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
  const expenses = expensesOf(changes);
  if (expenses.length === 0 || budgets.length === 0) return [];

  // Every (budget, period) the changes touch with a threshold not yet alerted, evaluated with
  // one aggregate query; none left (the common case once thresholds are reached) reads nothing.
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
    return [...periods.values()].flatMap((period) => {
      const open = budget.alert_thresholds.filter(
        (threshold) =>
          !budget.alerted.some(
            (alert) => alert.period_start === period.start && alert.threshold === threshold,
          ),
      );
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
