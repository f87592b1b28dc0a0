import { DAY_MS, MAX_DATE, dayOfMonthOrLast, formatDate, parseDate } from '../../calendar/dates.js';

/**
 * When a schedule's occurrences fall, as pure functions of its rule: no database, no clock.
 * DAILY and WEEKLY step every `interval` days or weeks from startDate; MONTHLY every `interval`
 * months on dayOfMonth (default: startDate's day), on the month's last day when it is shorter
 * (31: 28/29 Feb, 30 Apr, the way budget periods fall); YEARLY every `interval` years on
 * startDate's month and day (29 Feb: 28 Feb in common years). Occurrences before startDate are
 * none (a MONTHLY dayOfMonth before startDate's day starts the next month), and they end after
 * `count` occurrences, after endDate, or at 9999-12-31, whichever comes first.
 *
 * An occurrence is known by its index (0: the first), and the date of any index is computed
 * directly, so catching up years of a daily schedule never walks through them one by one.
 */

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface ScheduleRule {
  frequency: Frequency;
  /** Every N days, weeks, months or years; 1 or more. */
  interval: number;
  startDate: string;
  /** MONTHLY only: 1..31; null: startDate's day. */
  dayOfMonth: number | null;
  /** Inclusive. */
  endDate: string | null;
  /** How many occurrences in all. */
  count: number | null;
}

const MAX = parseDate(MAX_DATE).getTime();

/** The k-th step from startDate's period (k >= 0), or undefined past the supported range. */
function step(rule: ScheduleRule, k: number): Date | undefined {
  const start = parseDate(rule.startDate);
  let date: Date;
  switch (rule.frequency) {
    case 'DAILY':
    case 'WEEKLY': {
      const days = k * rule.interval * (rule.frequency === 'WEEKLY' ? 7 : 1);
      const time = start.getTime() + days * DAY_MS;
      if (!(time <= MAX)) return undefined;
      date = new Date(time);
      break;
    }
    case 'MONTHLY': {
      const months = start.getUTCFullYear() * 12 + start.getUTCMonth() + k * rule.interval;
      const year = Math.floor(months / 12);
      if (year > 9999) return undefined;
      date = dayOfMonthOrLast(year, (months % 12) + 1, rule.dayOfMonth ?? start.getUTCDate());
      break;
    }
    case 'YEARLY': {
      const year = start.getUTCFullYear() + k * rule.interval;
      if (year > 9999) return undefined;
      date = dayOfMonthOrLast(year, start.getUTCMonth() + 1, start.getUTCDate());
      break;
    }
  }
  return date.getTime() <= MAX ? date : undefined;
}

/** 1 when the first step falls before startDate (a MONTHLY dayOfMonth before its day), else 0. */
function firstStep(rule: ScheduleRule): number {
  const first = step(rule, 0);
  return first && formatDate(first) < rule.startDate ? 1 : 0;
}

/** The date of occurrence `index` (0: the first), or undefined when the schedule has ended by then. */
export function occurrenceDate(
  rule: ScheduleRule,
  index: number,
  /** firstStep(rule), when the caller has it already. */
  offset = firstStep(rule),
): string | undefined {
  if (index < 0 || (rule.count !== null && index >= rule.count)) return undefined;
  const date = step(rule, index + offset);
  if (!date) return undefined;
  const text = formatDate(date);
  return rule.endDate !== null && text > rule.endDate ? undefined : text;
}

/** Days a step takes at least (MONTHLY and YEARLY: at most, so an estimate never overshoots). */
const stepDays = (rule: ScheduleRule): number =>
  rule.interval * { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366 }[rule.frequency];

/**
 * The index of the first occurrence on or after `date` (its date may be undefined: the schedule
 * ends before). Computed from an estimate and a few steps forward, never a walk from the start.
 */
export function indexOnOrAfter(rule: ScheduleRule, date: string): number {
  if (date <= rule.startDate) return 0;
  const days = (parseDate(date).getTime() - parseDate(rule.startDate).getTime()) / DAY_MS;
  const offset = firstStep(rule);
  let k = Math.max(0, Math.floor(days / stepDays(rule)) - 1);
  const before = (index: number) => {
    const at = step(rule, index + offset);
    return at !== undefined && formatDate(at) < date;
  };
  while (k > 0 && !before(k - 1)) k--;
  for (;;) {
    const at = step(rule, k + offset);
    if (!at || formatDate(at) >= date) return Math.max(0, k);
    k++;
  }
}

/** Whether `date` is one of the schedule's occurrences; its index when it is. */
export function occurrenceIndex(rule: ScheduleRule, date: string): number | undefined {
  const index = indexOnOrAfter(rule, date);
  return occurrenceDate(rule, index) === date ? index : undefined;
}

/** Up to `limit` occurrences from index `from` with dates up to `to` (inclusive), in order. */
export function occurrencesUpTo(
  rule: ScheduleRule,
  from: number,
  to: string,
  limit: number,
): { index: number; date: string }[] {
  const found: { index: number; date: string }[] = [];
  const offset = firstStep(rule);
  for (let index = from; found.length < limit; index++) {
    const date = occurrenceDate(rule, index, offset);
    if (date === undefined || date > to) break;
    found.push({ index, date });
  }
  return found;
}
