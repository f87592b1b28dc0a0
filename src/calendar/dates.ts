/**
 * Calendar dates as "YYYY-MM-DD" strings and months as "YYYY-MM", within the one range the API
 * supports: 1900-01-01 through 9999-12-31. Everything that turns a JS Date into a date string
 * goes through formatDate, which cannot write a year outside 0001..9999 (toISOString writes
 * "+010000-…" and "0000-…", which PostgreSQL refuses).
 */

export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '9999-12-31';
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;
export const DAY_MS = 86_400_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** True for a real calendar date in the supported range: 2025-02-30, 2025-13-01 and 1899-12-31 are not. */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** True for "YYYY-MM" in the supported range. */
export function isMonth(value: string): boolean {
  const match = MONTH.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12;
}

export function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

/**
 * Midnight UTC of year-month-day (day 0: the last day of the previous month). Unlike Date.UTC,
 * years 0..99 stay themselves instead of becoming 1900..1999.
 */
export function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

/**
 * The given day of a month, or the month's last day when it is shorter: day 31 is 30 April,
 * 29 February is 28 February in a common year. How budgets and date ranges count a month or a
 * year on from a date.
 */
export function dayOfMonthOrLast(year: number, month: number, day: number): Date {
  return utcDate(year, month, Math.min(day, daysInMonth(year, month)));
}

/** Midnight UTC of a "YYYY-MM-DD" date. */
export const parseDate = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** "YYYY-MM-DD" of a UTC date; a year outside 0001..9999 is a bug in the caller and throws. */
export function formatDate(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) throw new RangeError(`Date out of range: year ${year}`);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The date moved into the supported range: before 1900-01-01 is 1900-01-01, after 9999-12-31 is 9999-12-31. */
export function clampToRange(date: Date): Date {
  const min = parseDate(MIN_DATE);
  const max = parseDate(MAX_DATE);
  return date < min ? min : date > max ? max : date;
}

/** `days` after (or before) a date; the result must lie in the supported range. */
export const addDays = (date: string, days: number): string =>
  formatDate(new Date(parseDate(date).getTime() + days * DAY_MS));

/** Today's date in UTC as "YYYY-MM-DD". */
export function today(now: Date = new Date()): string {
  return formatDate(now);
}

/** The first day of the month of a date: "2026-11-17" → "2026-11-01". */
export const monthStart = (date: string): string => `${date.slice(0, 7)}-01`;

/** The first day of the month after the one of `date`; undefined after the supported range. */
export function nextMonthStart(date: string): string | undefined {
  const [year, month] = date.split('-').map(Number) as [number, number];
  if (month === 12 && year >= MAX_YEAR) return undefined;
  return formatDate(month === 12 ? utcDate(year + 1, 1, 1) : utcDate(year, month + 1, 1));
}

/** A database date value (a Date at UTC midnight or a string) as "YYYY-MM-DD". */
export function toDateString(value: Date | string): string {
  return typeof value === 'string' ? value.slice(0, 10) : formatDate(value);
}
