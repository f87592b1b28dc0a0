/** Calendar dates as "YYYY-MM-DD" strings and months as "YYYY-MM"; validated, never shifted by time zones. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** True for a real calendar date: 2025-02-30 and 2025-13-01 are not. */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isMonth(value: string): boolean {
  const match = MONTH.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year >= 1 && month >= 1 && month <= 12;
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

/** Today's date in UTC as "YYYY-MM-DD". */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A database date value (a Date at UTC midnight or a string) as "YYYY-MM-DD". */
export function toDateString(value: Date | string): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
