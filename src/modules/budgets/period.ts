import { daysInMonth, utcDate } from '../../money/dates.js';

/**
 * Budget periods as pure functions of (period kind, startDate): no database, no clock.
 * WEEKLY periods start on startDate's weekday; MONTHLY on its day of month, or on the month's last
 * day when the month is shorter (day 31: 28/29 Feb, 30 Apr); YEARLY on its month and day
 * (29 Feb: 28 Feb in other years). A period ends the day before the next one starts.
 * Dates are "YYYY-MM-DD" strings; arithmetic is done on UTC midnights.
 */

export type PeriodKind = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface Period {
  start: string;
  /** Inclusive: the day before the next period starts. */
  end: string;
}

const DAY_MS = 86_400_000;

const parse = (date: string): Date => new Date(`${date}T00:00:00Z`);
const format = (date: Date): string => date.toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string =>
  format(new Date(parse(date).getTime() + days * DAY_MS));

/** The start of the period that begins in the given month (MONTHLY) or year (YEARLY). */
function anchoredStart(kind: 'MONTHLY' | 'YEARLY', anchor: string, year: number, month: number): string {
  const anchorDate = parse(anchor);
  const targetMonth = kind === 'MONTHLY' ? month : anchorDate.getUTCMonth() + 1;
  const day = Math.min(anchorDate.getUTCDate(), daysInMonth(year, targetMonth));
  return format(utcDate(year, targetMonth, day));
}

/** Start of the period that contains `date`. */
export function periodStart(kind: PeriodKind, anchor: string, date: string): string {
  const target = parse(date);
  if (kind === 'WEEKLY') {
    const offset = (target.getUTCDay() - parse(anchor).getUTCDay() + 7) % 7;
    return addDays(date, -offset);
  }
  const year = target.getUTCFullYear();
  const month = target.getUTCMonth() + 1;
  const candidate = anchoredStart(kind, anchor, year, month);
  if (candidate <= date) return candidate;
  return kind === 'MONTHLY'
    ? anchoredStart(kind, anchor, month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1)
    : anchoredStart(kind, anchor, year - 1, month);
}

/** Start of the period after the one starting at `start`. */
function nextStart(kind: PeriodKind, anchor: string, start: string): string {
  if (kind === 'WEEKLY') return addDays(start, 7);
  const date = parse(start);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  if (kind === 'YEARLY') return anchoredStart(kind, anchor, year + 1, month);
  return anchoredStart(kind, anchor, month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1);
}

export function periodContaining(kind: PeriodKind, anchor: string, date: string): Period {
  const start = periodStart(kind, anchor, date);
  return { start, end: addDays(nextStart(kind, anchor, start), -1) };
}

export function nextPeriod(kind: PeriodKind, anchor: string, period: Period): Period {
  return periodContaining(kind, anchor, addDays(period.end, 1));
}

export function previousPeriod(kind: PeriodKind, anchor: string, period: Period): Period {
  return periodContaining(kind, anchor, addDays(period.start, -1));
}

/** `count` consecutive periods ending with the one containing `date`, newest first. */
export function recentPeriods(kind: PeriodKind, anchor: string, date: string, count: number): Period[] {
  const periods = [periodContaining(kind, anchor, date)];
  while (periods.length < count) periods.push(previousPeriod(kind, anchor, periods.at(-1)!));
  return periods;
}

/** How many whole periods lie from the first period (the one containing `anchor`) up to `period`. */
export function periodsSinceAnchor(kind: PeriodKind, anchor: string, period: Period): number {
  const first = periodContaining(kind, anchor, anchor).start;
  if (period.start <= first) return 0;
  if (kind === 'WEEKLY')
    return Math.round((parse(period.start).getTime() - parse(first).getTime()) / (7 * DAY_MS));
  const a = parse(first);
  const b = parse(period.start);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return kind === 'MONTHLY' ? months : Math.round(months / 12);
}
