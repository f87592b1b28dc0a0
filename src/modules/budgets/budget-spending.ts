import type { EntityManager } from '@mikro-orm/postgresql';
import { toCents } from '../../money/money.js';
import type { Period } from './period.js';

/** A date range counted for a budget of this category (null: every expense). */
export interface SpendingBucket extends Period {
  categoryId: string | null;
}

/** A PostgreSQL array literal of dates or ids (never free text), so a bucket list is one parameter. */
const arrayLiteral = (values: (string | null)[]): string =>
  `{${values.map((value) => value ?? 'NULL').join(',')}}`;

/**
 * Counted expenses for each bucket, in one query however many budgets and periods: EXPENSE
 * transactions of the user dated in the bucket, on the user's accounts in the user's currency,
 * in the bucket's category or its descendants (no category: all, uncategorized included).
 */
export async function spentPerBucket(
  em: EntityManager,
  userId: string,
  buckets: SpendingBucket[],
): Promise<bigint[]> {
  if (buckets.length === 0) return [];
  const rows = await em.execute<{ idx: string; spent: string }[]>(
    `with recursive buckets as (
       select * from unnest(?::uuid[], ?::date[], ?::date[]) with ordinality as b(category_id, start_date, end_date, idx)
     ),
     scope(root, id) as (
       select c.id, c.id from categories c
       where c.user_id = ? and c.id in (select category_id from buckets where category_id is not null)
       union
       select s.root, c.id from categories c join scope s on c.parent_id = s.id
     )
     select b.idx, coalesce(sum(t.amount), 0)::text as spent
     from buckets b
     left join transactions t
       on t.user_id = ? and t.type = 'EXPENSE' and t.date between b.start_date and b.end_date
      and (b.category_id is null or t.category_id in (select s.id from scope s where s.root = b.category_id))
      and exists (
        select 1 from accounts a
        where a.id = t.account_id and a.currency = (select currency from users where id = ?)
      )
     group by b.idx
     order by b.idx`,
    [
      arrayLiteral(buckets.map((b) => b.categoryId)),
      arrayLiteral(buckets.map((b) => b.start)),
      arrayLiteral(buckets.map((b) => b.end)),
      userId,
      userId,
      userId,
    ],
  );
  return rows.map((row) => toCents(row.spent));
}
