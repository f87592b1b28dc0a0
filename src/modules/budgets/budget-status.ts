import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, Float, ObjectType } from 'type-graphql';
import { formatCents, toCents } from '../../money/money.js';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { addDays, periodContaining, periodsSinceAnchor, type Period, type PeriodKind } from './period.js';

@ObjectType()
export class BudgetStatus {
  @Field(() => DateScalar)
  periodStart: string;

  @Field(() => DateScalar)
  periodEnd: string;

  @Field(() => DecimalScalar)
  budgeted: string;

  @Field(() => DecimalScalar)
  carriedOver: string;

  @Field(() => DecimalScalar, { description: 'budgeted + carriedOver' })
  available: string;

  @Field(() => DecimalScalar, { description: 'Positive sum of the counted expenses in the period.' })
  spent: string;

  @Field(() => DecimalScalar, { description: 'available - spent' })
  remaining: string;

  @Field(() => Float, {
    description:
      'spent / available * 100 (a percentage, may exceed 100); when available <= 0: 0 if nothing is spent, else 100.',
  })
  percentUsed: number;

  @Field({ description: 'spent > available' })
  overBudget: boolean;
}

/** What the figures depend on; a Budget entity or a locked budget row. */
export interface BudgetRule {
  userId: string;
  categoryId: string | null;
  amount: string;
  period: PeriodKind;
  startDate: string;
  rollover: boolean;
}

/**
 * The status of each of `periods` (consecutive, newest first), from one grouped SQL aggregate:
 * one bucket per period plus, with rollover, one for everything between startDate and the oldest
 * period, so each period's carriedOver chains back to startDate without a query per period.
 */
export async function budgetStatuses(
  em: EntityManager,
  rule: BudgetRule,
  periods: Period[],
): Promise<BudgetStatus[]> {
  const oldestFirst = [...periods].reverse();
  const first = periodContaining(rule.period, rule.startDate, rule.startDate);
  const before: Period | null =
    rule.rollover && oldestFirst[0]!.start > first.start
      ? { start: first.start, end: addDays(oldestFirst[0]!.start, -1) }
      : null;
  const buckets = before ? [before, ...oldestFirst] : oldestFirst;
  const spentByBucket = await spentPerBucket(em, rule, buckets);
  const spentBefore = before ? spentByBucket.shift()! : 0n;

  const budgeted = toCents(rule.amount);
  const statuses: BudgetStatus[] = [];
  let previousRemaining: bigint | undefined;
  for (const [index, period] of oldestFirst.entries()) {
    const spent = spentByBucket[index]!;
    let carried = 0n;
    if (rule.rollover && period.start > first.start) {
      // Each period's carriedOver is the previous one's remaining, chained from the first period.
      carried =
        previousRemaining ??
        BigInt(periodsSinceAnchor(rule.period, rule.startDate, period)) * budgeted - spentBefore;
    }
    const available = budgeted + carried;
    const remaining = available - spent;
    previousRemaining = remaining;
    statuses.push({
      periodStart: period.start,
      periodEnd: period.end,
      budgeted: formatCents(budgeted),
      carriedOver: formatCents(carried),
      available: formatCents(available),
      spent: formatCents(spent),
      remaining: formatCents(remaining),
      percentUsed: percentUsed(spent, available),
      overBudget: spent > available,
    });
  }
  return statuses.reverse();
}

/** spent / available * 100; when available <= 0: 0 if nothing is spent, else 100. */
export function percentUsed(spent: bigint, available: bigint): number {
  if (available <= 0n) return spent === 0n ? 0 : 100;
  return (Number(spent) / Number(available)) * 100;
}

/** True when spent >= threshold% of a positive available; with nothing available, when anything is spent. */
export function thresholdReached(spent: bigint, available: bigint, threshold: number): boolean {
  if (available <= 0n) return spent > 0n;
  return spent * 100n >= BigInt(threshold) * available;
}

/**
 * Counted expenses per date range: EXPENSE transactions of the user dated in the range, on the
 * user's accounts in the user's currency, in the budget's category or its descendants (no
 * category: all, uncategorized included).
 */
async function spentPerBucket(em: EntityManager, rule: BudgetRule, buckets: Period[]): Promise<bigint[]> {
  const rows = await em.execute<{ idx: string; spent: string }[]>(
    `with recursive scope(id) as (
       select id from categories where id = ? and user_id = ?
       union
       select c.id from categories c join scope s on c.parent_id = s.id
     ),
     buckets as (
       select * from unnest(array[?]::date[], array[?]::date[]) with ordinality as b(start_date, end_date, idx)
     )
     select b.idx, coalesce(sum(t.amount), 0)::text as spent
     from buckets b
     left join transactions t
       on t.user_id = ? and t.type = 'EXPENSE' and t.date between b.start_date and b.end_date
      and (?::uuid is null or t.category_id in (select id from scope))
      and exists (
        select 1 from accounts a
        where a.id = t.account_id and a.currency = (select currency from users where id = ?)
      )
     group by b.idx
     order by b.idx`,
    [
      rule.categoryId,
      rule.userId,
      buckets.map((b) => b.start),
      buckets.map((b) => b.end),
      rule.userId,
      rule.categoryId,
      rule.userId,
    ],
  );
  return rows.map((row) => toCents(row.spent));
}
