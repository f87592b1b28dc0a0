import { addDays, dayNumber, daysInMonth, fromDayNumber, parseDate } from './calendar.js';
import { money } from './money.js';

/**
 * Budget periods and statuses as the contract words them, independent of src/modules/budgets
 * (it checks it). A day starts a period when the rule says so; a period runs from the last such
 * day on or before a date to the day before the next one; rollover is chained period by period
 * from the one containing startDate.
 */

export type PeriodKind = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface Span {
  start: string;
  end: string;
}

/**
 * Whether `date` starts a period of a budget of this kind and anchor, from the rule alone:
 * WEEKLY on startDate's weekday; MONTHLY on its day of month, or the month's last day when the
 * month is shorter; YEARLY on its month and day (29 Feb: 28 Feb in other years).
 */
export function isPeriodStart(kind: PeriodKind, anchor: string, date: string): boolean {
  const a = parseDate(anchor);
  const t = parseDate(date);
  switch (kind) {
    case 'WEEKLY':
      return (((dayNumber(date) - dayNumber(anchor)) % 7) + 7) % 7 === 0;
    case 'MONTHLY':
      return t.d === Math.min(a.d, daysInMonth(t.y, t.m));
    case 'YEARLY':
      return t.m === a.m && t.d === Math.min(a.d, daysInMonth(t.y, a.m));
  }
}

/** The period of the rule containing `date`, found day by day (no range limits). */
export function modelPeriod(kind: PeriodKind, anchor: string, date: string): Span {
  let start = dayNumber(date);
  while (!isPeriodStart(kind, anchor, fromDayNumber(start))) start--;
  let next = dayNumber(date) + 1;
  while (!isPeriodStart(kind, anchor, fromDayNumber(next))) next++;
  return { start: fromDayNumber(start), end: fromDayNumber(next - 1) };
}

export interface BudgetRule {
  categoryId: string | null;
  amount: bigint;
  period: PeriodKind;
  startDate: string;
  rollover: boolean;
}

/** BudgetStatus as the API answers it. */
export interface BudgetStatus {
  periodStart: string;
  periodEnd: string;
  budgeted: string;
  carriedOver: string;
  available: string;
  spent: string;
  remaining: string;
  percentUsed: number;
  overBudget: boolean;
}

/** spent / available * 100, as the contract defines percentUsed for a positive available. */
export function percentOf(spentCents: bigint, availableCents: bigint): number {
  return (Number(spentCents) * 100) / Number(availableCents);
}

/**
 * The status of the period containing `date`; `spentIn` gives what counts in a period (the
 * caller's transactions, its own category tree and currency rules).
 */
export function expectedStatus(
  rule: Omit<BudgetRule, 'categoryId'>,
  date: string,
  spentIn: (period: Span) => bigint,
): BudgetStatus {
  const period = modelPeriod(rule.period, rule.startDate, date);
  let carried = 0n;
  if (rule.rollover) {
    // 0 when the period is the first one or before it.
    let p = modelPeriod(rule.period, rule.startDate, rule.startDate);
    while (p.start < period.start) {
      carried = rule.amount + carried - spentIn(p);
      p = modelPeriod(rule.period, rule.startDate, addDays(p.end, 1));
    }
  }
  const spent = spentIn(period);
  const available = rule.amount + carried;
  return {
    periodStart: period.start,
    periodEnd: period.end,
    budgeted: money(rule.amount),
    carriedOver: money(carried),
    available: money(available),
    spent: money(spent),
    remaining: money(available - spent),
    percentUsed: available <= 0n ? (spent === 0n ? 0 : 100) : (Number(spent) / Number(available)) * 100,
    overBudget: spent > available,
  };
}
