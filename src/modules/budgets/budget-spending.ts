import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedRows } from '../../db/prepared-rows.js';
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
  // A prepared statement: its text depends only on whether a bucket has a category (the buckets
  // travel as arrays), and every transaction write with an alerting budget runs it once. It is
  // kept plain because PostgreSQL plans it on every run: the category tree is walked only when
  // a bucket needs it.
  const params = new SqlParams('numbered');
  const ranges = buckets.map((bucket) => ({ from: bucket.start, to: bucket.end }));
  const categoryIds = buckets.map((bucket) => bucket.categoryId);
  const scoped = categoryIds.some((id) => id !== null);
  const categories = scoped ? params.simpleArray(categoryIds, 'uuid') : '';
  const sql = `${
    scoped
      ? `with recursive scope(root, id) as (
       select c.id, c.id from categories c where c.user_id = ${params.add(userId)} and c.id = any(${categories})
       union
       select s.root, c.id from categories c join scope s on c.parent_id = s.id
     )`
      : ''
  }
     select s.idx, coalesce(sum(sums.amount), 0)::text as spent
     from ${segmentTable(ranges, params)}
     left join ${segmentSums(
       userId,
       params,
       (p) =>
         `lt.type = 'EXPENSE'
          and lt.account_id in (
            select id from accounts
            where user_id = ${p.add(userId)} and currency = (select currency from users where id = ${p.add(userId)}))
          ${
            scoped
              ? `and ((${categories})[s.idx] is null
                   or lt.category_id in (select sc.id from scope sc where sc.root = (${categories})[s.idx]))`
              : ''
          }`,
     )} as sums on true
     group by s.idx
     order by s.idx`;
  const rows = await preparedRows<{ idx: string; spent: string }>(em, sql, params.values);
  return rows.map((row) => toCents(row.spent));
}
