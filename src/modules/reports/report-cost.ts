import type { UserLimits } from '../../limits/cost.js';
import { countPeriods, MAX_CASHFLOW_POINTS } from './report-ranges.js';
import { Interval } from './interval.js';

/** Rows of a by-category report: one per category, and one for uncategorized. */
export const categoryRows = (_args: unknown, limits: UserLimits): number => limits.maxCategories + 1;

/** The points a cashflow will have, as its resolver computes them (a refused range costs 1). */
export function cashflowPoints(args: Record<string, unknown>): number {
  const { from, to, interval } = args;
  if (typeof from !== 'string' || typeof to !== 'string' || from > to) return 1;
  if (!Object.values(Interval).includes(interval as Interval)) return 1;
  return Math.min(MAX_CASHFLOW_POINTS, countPeriods(from, to, interval as Interval));
}
