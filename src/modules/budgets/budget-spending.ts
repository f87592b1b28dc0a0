import type { EntityManager } from '@mikro-orm/postgresql';
import { SqlParams } from '../../db/sql-params.js';
import { segmentSums, segmentTable } from '../ledger/total-ranges.js';
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
 * number of buckets and days, not the history.
 */
export async function spentPerBucket(
  em: EntityManager,
  userId: string,
  buckets: SpendingBucket[],
): Promise<bigint[]> {
  if (buckets.length === 0) return [];
  // `?` placeholders bind in the order they appear: the template adds them in that order.
  const params = new SqlParams('question');
  const ranges = buckets.map((bucket) => ({ from: bucket.start, to: bucket.end }));
  const categoryIds = buckets.map((bucket) => bucket.categoryId);
  const sql = `with recursive buckets as (
       select * from unnest(${params.simpleArray(categoryIds, 'uuid')}) with ordinality as b(category_id, idx)
     ),
     scope(root, id) as (
       select c.id, c.id from categories c
       where c.user_id = ${params.add(userId)} and c.id in (select category_id from buckets where category_id is not null)
       union
       select s.root, c.id from categories c join scope s on c.parent_id = s.id
     ),
     counted as (
       select id from accounts
       where user_id = ${params.add(userId)} and currency = (select currency from users where id = ${params.add(userId)})
     )
     select b.idx, coalesce(sum(sums.amount), 0)::text as spent
     from buckets b
     join ${segmentTable(ranges, params)} on s.idx = b.idx
     left join ${segmentSums(
       userId,
       params,
       () =>
         `lt.type = 'EXPENSE' and lt.account_id in (select id from counted)
          and (b.category_id is null or lt.category_id in (select sc.id from scope sc where sc.root = b.category_id))`,
     )} as sums on true
     group by b.idx
     order by b.idx`;
  const rows = await em.execute<{ idx: string; spent: string }[]>(sql, params.values);
  return rows.map((row) => toCents(row.spent));
}
