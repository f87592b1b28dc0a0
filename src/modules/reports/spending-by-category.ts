import type { EntityManager } from '@mikro-orm/postgresql';
import { byCategory, categoryTotals } from './category-totals.js';
import { checkRange } from './report-ranges.js';
import type { CategoryAmount } from './report.types.js';

/** Expenses per category in [from, to] (at most MAX_RANGE_YEARS), largest first. */
export async function spendingByCategory(
  em: EntityManager,
  userId: string,
  currency: string,
  from: string,
  to: string,
): Promise<CategoryAmount[]> {
  checkRange(from, to);
  return byCategory(await categoryTotals(em, userId, currency, from, to), 'EXPENSE');
}
