import {
  DAY_MS,
  MIN_DATE,
  addDays,
  clampToRange,
  dayOfMonthOrLast,
  formatDate,
  parseDate,
} from '../../calendar/dates.js';

/**
 * Budget periods as pure functions of (period kind, startDate): no database, no clock.
 * WEEKLY periods start on startDate's weekday; MONTHLY on its day of month, or on the month's last
 * day when the month is shorter (day 31: 28/29 Feb, 30 Apr); YEARLY on its month and day
 * (29 Feb: 28 Feb in other years). A period ends the day before the next one starts.
 * Periods are cut at the ends of the supported date range (1900-01-01..9999-12-31): the first
 * period of that range may start late and the last end early, never outside it.
 * Arithmetic is done on UTC midnights, which JS can hold for any year; only the bounds handed
 * out are written as strings, through `bound`.
 */

export type PeriodKind = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface Period {
  start: string;
  /** Inclusive: the day before the next period starts. */
  end: string;
}

const plusDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);

/** A period bound as handed out: within the supported range, as "YYYY-MM-DD". */
const bound = (date: Date): string => formatDate(clampToRange(date));

/** The start of the period that begins in the given month (MONTHLY) or year (YEARLY). */
function anchoredStart(kind: 'MONTHLY' | 'YEARLY', anchor: Date, year: number, month: number): Date {
  const targetMonth = kind === 'MONTHLY' ? month : anchor.getUTCMonth() + 1;
  return dayOfMonthOrLast(year, targetMonth, anchor.getUTCDate());
}

/** Start of the period that contains `target`. */
function startOf(kind: PeriodKind, anchor: Date, target: Date): Date {
  if (kind === 'WEEKLY') return plusDays(target, -((target.getUTCDay() - anchor.getUTCDay() + 7) % 7));
  const year = target.getUTCFullYear();
  const month = target.getUTCMonth() + 1;
  const candidate = anchoredStart(kind, anchor, year, month);
  if (candidate <= target) return candidate;
  return kind === 'MONTHLY'
    ? anchoredStart(kind, anchor, month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1)
    : anchoredStart(kind, anchor, year - 1, month);
}

/** Start of the period after the one starting at `start`. */
function nextStart(kind: PeriodKind, anchor: Date, start: Date): Date {
  if (kind === 'WEEKLY') return plusDays(start, 7);
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth() + 1;
  if (kind === 'YEARLY') return anchoredStart(kind, anchor, year + 1, month);
  return anchoredStart(kind, anchor, month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1);
}

export function periodContaining(kind: PeriodKind, anchor: string, date: string): Period {
  const anchorDate = parseDate(anchor);
  const start = startOf(kind, anchorDate, parseDate(date));
  return { start: bound(start), end: bound(plusDays(nextStart(kind, anchorDate, start), -1)) };
}

/** The period after this one; undefined after the last one of the supported range. */
export function nextPeriod(kind: PeriodKind, anchor: string, period: Period): Period | undefined {
  const after = plusDays(parseDate(period.end), 1);
  return after > clampToRange(after) ? undefined : periodContaining(kind, anchor, formatDate(after));
}

/** The period before this one; undefined before the first one of the supported range. */
export function previousPeriod(kind: PeriodKind, anchor: string, period: Period): Period | undefined {
  return period.start === MIN_DATE ? undefined : periodContaining(kind, anchor, addDays(period.start, -1));
}

/**
 * Up to `count` consecutive periods ending with the one containing `date`, newest first (fewer
 * only when the supported range begins before `count` are reached).
 */
export function recentPeriods(kind: PeriodKind, anchor: string, date: string, count: number): Period[] {
  const periods = [periodContaining(kind, anchor, date)];
  while (periods.length < count) {
    const previous = previousPeriod(kind, anchor, periods.at(-1)!);
    if (!previous) break;
    periods.push(previous);
  }
  return periods;
}

/** How many whole periods lie from the first period (the one containing `anchor`) up to `period`. */
export function periodsSinceAnchor(kind: PeriodKind, anchor: string, period: Period): number {
  const first = periodContaining(kind, anchor, anchor).start;
  if (period.start <= first) return 0;
  const a = parseDate(first);
  const b = parseDate(period.start);
  if (kind === 'WEEKLY') return Math.round((b.getTime() - a.getTime()) / (7 * DAY_MS));
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return kind === 'MONTHLY' ? months : Math.round(months / 12);
}
