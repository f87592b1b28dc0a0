import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, toDateString } from '../../calendar/dates.js';
import { formatCents, toCents } from '../../money/money.js';
import { spentPerBucket, type SpendingBucket } from './budget-spending.js';
import type { Budget } from './budget.entity.js';
import type { BudgetStatus } from './budget-status.type.js';
import { periodContaining, periodsSinceAnchor, type Period, type PeriodKind } from './period.js';

/** What the figures depend on; a Budget entity or a locked budget row. */
export interface BudgetRule {
  userId: string;
  categoryId: string | null;
  amount: string;
  period: PeriodKind;
  startDate: string;
  rollover: boolean;
}

/** The rule of a stored budget. */
export function ruleOf(budget: Budget): BudgetRule {
  return {
    userId: typeof budget.user === 'string' ? budget.user : budget.user.id,
    categoryId: budget.category?.id ?? null,
    amount: budget.amount,
    period: budget.period,
    startDate: toDateString(budget.startDate),
    rollover: budget.rollover,
  };
}

/** Statuses wanted for one budget: these consecutive periods, newest first. */
export interface StatusRequest {
  rule: BudgetRule;
  periods: Period[];
}

/**
 * The statuses of each request, from one grouped SQL aggregate for all of them (rules of one
 * user): a bucket per period plus, with rollover, one for everything between startDate and the
 * oldest period, so each period's carriedOver chains back to startDate without a query per
 * period or per budget.
 */
export async function budgetStatuses(
  em: EntityManager,
  userId: string,
  requests: StatusRequest[],
): Promise<BudgetStatus[][]> {
  const plans = requests.map(({ rule, periods }) => planBuckets(rule, periods));
  const spent = await spentPerBucket(
    em,
    userId,
    plans.flatMap((plan) => plan.buckets),
  );
  let offset = 0;
  return plans.map((plan, index) => {
    const mine = spent.slice(offset, offset + plan.buckets.length);
    offset += plan.buckets.length;
    return chain(requests[index]!.rule, plan, mine);
  });
}

interface BucketPlan {
  /** Oldest first; the first is the pre-period bucket when `hasBefore`. */
  buckets: SpendingBucket[];
  hasBefore: boolean;
  first: Period;
  oldestFirst: Period[];
}

function planBuckets(rule: BudgetRule, periods: Period[]): BucketPlan {
  const oldestFirst = [...periods].reverse();
  const first = periodContaining(rule.period, rule.startDate, rule.startDate);
  const before: Period | null =
    rule.rollover && oldestFirst[0]!.start > first.start
      ? { start: first.start, end: addDays(oldestFirst[0]!.start, -1) }
      : null;
  const ranges = before ? [before, ...oldestFirst] : oldestFirst;
  return {
    buckets: ranges.map((range) => ({ ...range, categoryId: rule.categoryId })),
    hasBefore: before !== null,
    first,
    oldestFirst,
  };
}

/** Each period's figures, oldest to newest, returned newest first. */
function chain(rule: BudgetRule, plan: BucketPlan, spentByBucket: bigint[]): BudgetStatus[] {
  const spentBefore = plan.hasBefore ? spentByBucket[0]! : 0n;
  const spentInPeriods = plan.hasBefore ? spentByBucket.slice(1) : spentByBucket;
  const budgeted = toCents(rule.amount);
  const statuses: BudgetStatus[] = [];
  let previousRemaining: bigint | undefined;
  for (const [index, period] of plan.oldestFirst.entries()) {
    const spent = spentInPeriods[index]!;
    let carried = 0n;
    if (rule.rollover && period.start > plan.first.start) {
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
