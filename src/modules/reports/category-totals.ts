import type { EntityManager } from '@mikro-orm/postgresql';
import { formatCents, toCents } from '../../money/money.js';
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
 * currency: one SQL aggregate. Transfers are neither income nor expenses.
 */
export function categoryTotals(
  em: EntityManager,
  userId: string,
  currency: string,
  from: string,
  to: string,
): Promise<CategoryTotal[]> {
  return em.execute<CategoryTotal[]>(
    `select t.type, t.category_id, sum(t.amount)::text as total, count(*)::int as count
     from transactions t join accounts a on a.id = t.account_id
     where t.user_id = ? and a.currency = ? and t.type in ('INCOME', 'EXPENSE') and t.date between ? and ?
     group by t.type, t.category_id`,
    [userId, currency, from, to],
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
