/**
 * The tests' own calendar, independent of src/ and of JS Date: dates are "YYYY-MM-DD" strings,
 * arithmetic runs on day numbers (days since 1970-01-01, proleptic Gregorian) by H. Hinnant's
 * days_from_civil / civil_from_days algorithms.
 */

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "YYYY-MM-DD" of a civil date (years past 9999 get five digits). */
export const formatDate = ({ y, m, d }: Ymd): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The parts of a real calendar date; throws on anything else. */
export function parseDate(date: string): Ymd {
  const match = /^(\d{4,5})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const value = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  if (value.m < 1 || value.m > 12 || value.d < 1 || value.d > daysInMonth(value.y, value.m)) {
    throw new Error(`not a calendar date: ${date}`);
  }
  return value;
}

/** Days since 1970-01-01 of a civil date (days_from_civil). */
export function civilToDays({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = floorDiv(yy, 400);
  const yoe = yy - era * 400;
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of civilToDays (civil_from_days). */
export function daysToCivil(n: number): Ymd {
  const z = n + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date. */
export const dayNumber = (date: string): number => civilToDays(parseDate(date));
/** The "YYYY-MM-DD" date of a day number. */
export const fromDayNumber = (n: number): string => formatDate(daysToCivil(n));

export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);

/** Monday 0 … Sunday 6; day 0 (1970-01-01) was a Thursday. */
export const weekday = (date: string): number => (((dayNumber(date) + 3) % 7) + 7) % 7;

export const firstOfMonth = (date: string): string => `${date.slice(0, 7)}-01`;

export function lastOfMonth(date: string): string {
  const { y, m } = parseDate(date);
  return formatDate({ y, m, d: daysInMonth(y, m) });
}

/** The same day of month `months` later (or earlier); the day must exist in the target month. */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parseDate(date);
  const index = y * 12 + (m - 1) + months;
  return formatDate({ y: floorDiv(index, 12), m: (index % 12) + 1, d });
}

/** The calendar month of a date, as a span of dates. */
export const calendarMonth = (date: string): { start: string; end: string } => ({
  start: firstOfMonth(date),
  end: lastOfMonth(date),
});

/** Today in UTC, as the server sees it: from the clock, formatted here. */
export const utcToday = (): string => fromDayNumber(Math.floor(Date.now() / 86_400_000));
