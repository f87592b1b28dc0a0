import fc from 'fast-check';
import { utcToday } from '../model/calendar.js';
import { pick, weighted } from './weighted.js';

/**
 * Leaf values for the schema's scalars. Each generator has two moods: `sane` (values that look
 * valid, so that requests get past validation into the resolvers and the SQL) and wild (the
 * sane values mixed with edge, malformed and wrongly typed ones). Dates at the ends of the range
 * are frequent in both: that is where budget periods overflow.
 */

export type IdKind =
  'account' | 'category' | 'transaction' | 'budget' | 'alert' | 'rule' | 'recurring' | 'user';
export const ID_KINDS: readonly IdKind[] = [
  'account',
  'category',
  'transaction',
  'budget',
  'alert',
  'rule',
  'recurring',
  'user',
];

/** What the generators draw ids and credentials from; refreshed before each operation. */
export interface Pools {
  /** User A's ids (the caller), by kind. */
  a: Record<IdKind, string[]>;
  /** User B's ids: must never show up in A's data. */
  b: Record<IdKind, string[]>;
  aEmail: string;
  bEmail: string;
  /** A's current password (tracked across a successful changePassword). */
  aPassword: string;
  aRefreshTokens: string[];
  /** Real cursors of A's transactions, in every sort order. */
  cursors: string[];
}

const MALFORMED_IDS = [
  '',
  'x',
  "1' or 1=1",
  "1' or '1'='1' --",
  'a'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  '-1',
  'null',
  '\u0000',
];

/** An ID; `kind` is what the argument names (accountId, parentId, budget(id:), ...). */
export function idArb(kind: IdKind | undefined, pools: Pools, sane: boolean): fc.Arbitrary<string> {
  const right = kind ? pools.a[kind] : [];
  const all = ID_KINDS.flatMap((k) => pools.a[k]);
  const mine = pick(right.length ? right : all);
  if (sane) return mine ?? fc.uuid();
  const others = ID_KINDS.filter((k) => k !== kind).flatMap((k) => pools.a[k]);
  return weighted<string>([
    [kind ? 10 : 3, pick(right)],
    [2, pick(others)],
    [2, pick(ID_KINDS.flatMap((k) => pools.b[k]))],
    [1, fc.uuid()],
    [1, pick(all)?.map((id) => id.toUpperCase())],
    [1, pick(MALFORMED_IDS)],
    [1, mine?.map((id) => `${id}\u0000`)],
  ]);
}

const DECIMAL_EDGES: unknown[] = [
  '0',
  '0.00',
  '0.01',
  '-0.01',
  '1',
  '12.5',
  '999999999999999.99',
  '-999999999999999.99',
  '1000000000000000',
  '1.005',
  '1e5',
  ' 1',
  '',
  'abc',
  '\u0000',
  12.5,
  0,
];

/** Money as a string: mostly ordinary positive amounts, sometimes edges and non-strings. */
export function decimalArb(sane: boolean): fc.Arbitrary<unknown> {
  const cents = fc.integer({ min: 1, max: 10_000_000 });
  return weighted<unknown>([
    [5, cents.map((c) => (c / 100).toFixed(2))],
    [1, cents.map((c) => String(Math.ceil(c / 100)))],
    [sane ? 1 : 0, pick(['0.01', '12.5', '999999999999999.99'])],
    [sane ? 0 : 4, pick(DECIMAL_EDGES)],
  ]);
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(1900, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(9999, 11, 31) / DAY_MS;
const YEAR_ONE = new Date(0).setUTCFullYear(1, 0, 1) / DAY_MS;

export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Real dates at and near the ends of the range and on odd calendar days. */
const VALID_DATE_EDGES = [
  '0001-01-01',
  '0001-12-31',
  '1899-12-31',
  '1900-01-01',
  '1900-01-02',
  '1970-01-01',
  '2024-02-29',
  '2026-12-01',
  '9999-12-31',
  '9999-12-30',
  '9999-12-01',
];
const INVALID_DATES: unknown[] = [
  '10000-01-01',
  '0000-01-01',
  '2023-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-1-5',
  '',
  'garbage',
  20260101,
];

/** "YYYY-MM-DD": the ends of the range are frequent, since that is where periods overflow. */
export function dateArb(sane: boolean): fc.Arbitrary<unknown> {
  const days = (min: number, max: number) => fc.integer({ min, max }).map(isoDay);
  const now = dayOf(utcToday());
  return weighted<unknown>([
    [4, days(now - 60, now + 30)],
    [3, pick(VALID_DATE_EDGES)],
    [2, days(LAST_DAY - 400, LAST_DAY)],
    [1, days(FIRST_DAY, FIRST_DAY + 400)],
    [1, days(YEAR_ONE, YEAR_ONE + 400)],
    [2, days(FIRST_DAY, LAST_DAY)],
    [sane ? 0 : 3, pick(INVALID_DATES)],
  ]);
}

const VALID_MONTH_EDGES = [
  '0001-01',
  '0001-12',
  '1899-12',
  '1900-01',
  '2024-02',
  '2026-11',
  '9999-11',
  '9999-12',
];
const INVALID_MONTHS = ['10000-01', '0000-12', '2026-13', '2026-00', '2026-1', '2026-01-01', '', 'garbage'];

/** "YYYY-MM", with the same bias to the ends of the range. */
export function monthArb(sane: boolean): fc.Arbitrary<unknown> {
  const months = (min: number, max: number) =>
    fc
      .integer({ min, max })
      .map((m) => `${String(Math.floor(m / 12)).padStart(4, '0')}-${String((m % 12) + 1).padStart(2, '0')}`);
  const [year, month] = utcToday().split('-').map(Number) as [number, number];
  const current = year * 12 + month - 1;
  return weighted<unknown>([
    [3, months(current - 6, current + 1)],
    [3, pick(VALID_MONTH_EDGES)],
    [2, months(9999 * 12 - 24, 9999 * 12 + 11)],
    [1, months(12, 36)],
    [2, months(1900 * 12, 9999 * 12 + 11)],
    [sane ? 0 : 3, pick(INVALID_MONTHS)],
  ]);
}

const INT_EDGES = [-2147483648, -1, 0, 1, 5, 12, 36, 37, 50, 100, 101, 500, 501, 1000, 2147483647];
const NOT_INTS: unknown[] = [1.5, '5', 2147483648, -2147483649, true, 'ten'];

/** Sane ints fit every Int argument of the schema (first, offset, periods, thresholds). */
export function intArb(sane: boolean): fc.Arbitrary<unknown> {
  return weighted<unknown>([
    [3, fc.integer({ min: 1, max: 36 })],
    [sane ? 1 : 0, pick([1, 5, 12, 36])],
    [sane ? 0 : 6, pick(INT_EDGES)],
    [sane ? 0 : 1, pick(NOT_INTS)],
  ]);
}

export function booleanArb(sane: boolean): fc.Arbitrary<unknown> {
  return weighted<unknown>([
    [10, fc.boolean()],
    [sane ? 0 : 1, pick<unknown>(['true', 1, 0])],
  ]);
}

export function floatArb(sane: boolean): fc.Arbitrary<unknown> {
  return weighted<unknown>([
    [4, fc.double({ noNaN: true, noDefaultInfinity: true })],
    [sane ? 0 : 1, pick<unknown>(['1.5', true])],
  ]);
}
