import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedRows } from '../../db/prepared-rows.js';
import { segmentArrays } from '../ledger/total-ranges.js';
import { toCents } from '../../money/money.js';
import type { Period } from './period.js';

/** A date range counted for a budget of this category (null: every expense). */
export interface SpendingBucket extends Period {
  categoryId: string | null;
}

/**
 * Counted expenses for each bucket, in one query however many budgets and periods: the user's
 * running EXPENSE totals (ledger/totals.ts) over the bucket's days, on the user's accounts in
 * the user's currency, in the bucket's category or its descendants as the tree is now (no
 * category: all, uncategorized included). The rows are never read, so the cost follows the
 * number of buckets and days, not the history. The statement is the `budget_spending` function
 * (migrations/Migration20261223000000_budget_spending.ts), planned once per connection: every
 * transaction write with an alert threshold still to reach runs it.
 */
export async function spentPerBucket(
  em: EntityManager,
  userId: string,
  buckets: SpendingBucket[],
): Promise<bigint[]> {
  if (buckets.length === 0) return [];
  const { idx, grain, first, last } = segmentArrays(
    buckets.map((bucket) => ({ from: bucket.start, to: bucket.end })),
  );
  const categoryIds = buckets.map((bucket) => bucket.categoryId);
  const rows = await preparedRows<{ idx: number; spent: string }>(
    em,
    `select idx, spent::text as spent from budget_spending($1, $2, $3, $4, $5, $6)`,
    [userId, idx, grain, first, last, categoryIds.some((id) => id !== null) ? categoryIds : null],
  );
  return rows.map((row) => toCents(row.spent));
}
