import type { EntityManager } from '@mikro-orm/postgresql';
import { SqlParams } from '../../db/sql-params.js';
import { formatCents, toCents } from '../../money/money.js';
import { segmentSums, segmentTable } from '../ledger/total-ranges.js';
import { incomeAndExpensesIn } from './report-currency.js';
import type { CategoryAmount } from './report.types.js';

/** Income or expense total and count of one category (null: uncategorized) in a date range. */
export interface CategoryTotal {
  type: 'INCOME' | 'EXPENSE';
  category_id: string | null;
  total: string;
  count: number;
}

/**
 * Income and expense totals per category in [from, to], over the user's accounts in one
 * currency: one SQL aggregate of the running totals (ledger/totals.ts), never the rows.
 * Transfers are neither income nor expenses.
 */
export function categoryTotals(
  em: EntityManager,
  userId: string,
  currency: string,
  from: string,
  to: string,
): Promise<CategoryTotal[]> {
  const params = new SqlParams('question');
  return em.execute<CategoryTotal[]>(
    `select sums.type, sums.category_id, sum(sums.amount)::text as total, sum(sums.count)::int as count
     from ${segmentTable([{ from, to }], params)}
     join ${segmentSums(userId, params, incomeAndExpensesIn(userId, currency), [
       'type',
       'category_id',
     ])} as sums on true
     group by sums.type, sums.category_id
     having sum(sums.count) > 0`,
    params.values,
  );
}

/** Income or expense amounts by category: share of the type's sum, largest first. */
export function byCategory(totals: CategoryTotal[], type: 'INCOME' | 'EXPENSE'): CategoryAmount[] {
  const rows = totals
    .filter((row) => row.type === type)
    .map((row) => ({ ...row, cents: toCents(row.total) }));
  const sum = rows.reduce((acc, row) => acc + row.cents, 0n);
  return rows
    .sort((a, b) =>
      a.cents === b.cents
        ? (a.category_id ?? '').localeCompare(b.category_id ?? '')
        : a.cents > b.cents
          ? -1
          : 1,
    )
    .map((row) => ({
      categoryId: row.category_id,
      total: formatCents(row.cents),
      count: row.count,
      share: sum === 0n ? 0 : Number(row.cents) / Number(sum),
    }));
}

/** Positive sum of one type's totals, in cents. */
export function sumOf(totals: CategoryTotal[], type: 'INCOME' | 'EXPENSE'): bigint {
  return totals.filter((row) => row.type === type).reduce((acc, row) => acc + toCents(row.total), 0n);
}
