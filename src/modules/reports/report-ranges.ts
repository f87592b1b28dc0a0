import { DAY_MS, dayOfMonthOrLast, parseDate } from '../../calendar/dates.js';
import { badInput } from '../../errors/app-error.js';
import { Interval } from './interval.js';

export const MAX_RANGE_YEARS = 10;
export const MAX_CASHFLOW_POINTS = 1000;

/**
 * True when `to` lies more than MAX_RANGE_YEARS after `from`: 2020-01-01..2030-01-01 is allowed.
 * The anniversary of 29 Feb in a common year is 28 Feb, as for yearly budgets.
 */
export function exceedsMaxRange(from: string, to: string): boolean {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  const limitYear = year + MAX_RANGE_YEARS;
  const limit = dayOfMonthOrLast(limitYear, month, day);
  return parseDate(to) > limit;
}

/** How many DAY, WEEK (ISO, from Monday) or MONTH periods the range touches. */
export function countPeriods(from: string, to: string, interval: Interval): number {
  const start = parseDate(from);
  const end = parseDate(to);
  if (interval === Interval.DAY) return Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1;
  if (interval === Interval.WEEK) {
    const monday = (date: Date) => date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS;
    return Math.round((monday(end) - monday(start)) / (7 * DAY_MS)) + 1;
  }
  return (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth()) + 1;
}

/** `to` not before `from`, and at most MAX_RANGE_YEARS after it. */
export function checkRange(from: string, to: string): void {
  if (from > to) throw badInput('to', 'to must not be before from');
  if (exceedsMaxRange(from, to)) {
    throw badInput('to', `The range must not be longer than ${MAX_RANGE_YEARS} years`);
  }
}
