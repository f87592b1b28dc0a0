import type { EntityManager } from '@mikro-orm/postgresql';
import { NIL_UUID } from '../../db/ids.js';
import { TOTALS_COLUMNS } from './totals.js';

/** Full joins need plain equality: a missing id compares as the nil uuid. */
const NIL = `'${NIL_UUID}'::uuid`;

export interface BalanceDrift {
  accountId: string;
  stored: string;
  expected: string;
}

/**
 * Every account whose stored balance differs from openingBalance + the effects of its
 * transactions, recomputed from scratch in SQL. Empty when the ledger is consistent.
 * Used by `npm run ledger:verify`, the tests and the benchmarks.
 */
export async function findBalanceDrift(em: EntityManager, userId?: string): Promise<BalanceDrift[]> {
  const rows = await em.execute<{ account_id: string; stored: string; expected: string }[]>(
    `with effects as (
       select account_id, case when type = 'INCOME' then amount else -amount end as delta from transactions
       union all
       select transfer_account_id, amount from transactions where type = 'TRANSFER'
     )
     select a.id as account_id, a.balance::text as stored,
            (a.opening_balance + coalesce(sum(e.delta), 0))::text as expected
     from accounts a left join effects e on e.account_id = a.id
     where (?::uuid is null or a.user_id = ?::uuid)
     group by a.id
     having a.balance <> a.opening_balance + coalesce(sum(e.delta), 0)
     order by a.id`,
    [userId ?? null, userId ?? null],
  );
  return rows.map((row) => ({ accountId: row.account_id, stored: row.stored, expected: row.expected }));
}

export interface TotalsDrift {
  userId: string;
  grain: string;
  starts: string;
  accountId: string;
  transferAccountId: string | null;
  categoryId: string | null;
  type: string;
  stored: { amount: string; count: number };
  expected: { amount: string; count: number };
}

/**
 * The ledger_totals rows (user_id, grain, starts, account_id, transfer_account_id, category_id,
 * type, amount, count) recounted from the transactions `t` matching `condition`.
 */
export const recountedTotals = (condition: string): string =>
  `select t.user_id, g.grain,
          case g.grain when 'day' then t.date else date_trunc('month', t.date)::date end as starts,
          t.account_id, t.transfer_account_id, t.category_id, t.type, sum(t.amount) as amount, count(*)::int as count
   from transactions t cross join (values ('day'), ('month')) as g(grain)
   where ${condition}
   group by 1, 2, 3, 4, 5, 6, 7`;

/**
 * Sets the totals of the transactions matching `condition` from the rows: for seeders that
 * insert rows in bulk, around the ledger writer, into users that have no totals yet.
 */
export const insertRecountedTotals = (condition: string): string =>
  `insert into ledger_totals (${TOTALS_COLUMNS}) ${recountedTotals(condition)}`;

/**
 * Every ledger_totals row that differs from the sums of the transactions it counts (a missing
 * row counts as zero), recomputed from scratch in SQL for both grains. Empty when consistent.
 */
export async function findTotalsDrift(em: EntityManager, userId?: string): Promise<TotalsDrift[]> {
  const rows = await em.execute<
    {
      user_id: string;
      grain: string;
      starts: string;
      account_id: string;
      transfer_account_id: string | null;
      category_id: string | null;
      type: string;
      stored_amount: string;
      stored_count: number;
      expected_amount: string;
      expected_count: number;
    }[]
  >(
    `with expected as (${recountedTotals('(?::uuid is null or t.user_id = ?::uuid)')}),
     stored as (select * from ledger_totals where (?::uuid is null or user_id = ?::uuid))
     select coalesce(s.user_id, e.user_id) as user_id, coalesce(s.grain, e.grain) as grain,
            coalesce(s.starts, e.starts)::text as starts, coalesce(s.account_id, e.account_id) as account_id,
            coalesce(s.transfer_account_id, e.transfer_account_id) as transfer_account_id,
            coalesce(s.category_id, e.category_id) as category_id, coalesce(s.type, e.type) as type,
            coalesce(s.amount, 0)::text as stored_amount, coalesce(s.count, 0) as stored_count,
            coalesce(e.amount, 0)::text as expected_amount, coalesce(e.count, 0) as expected_count
     from stored s full join expected e
       on s.user_id = e.user_id and s.grain = e.grain and s.starts = e.starts and s.account_id = e.account_id
      and coalesce(s.transfer_account_id, ${NIL}) = coalesce(e.transfer_account_id, ${NIL})
      and coalesce(s.category_id, ${NIL}) = coalesce(e.category_id, ${NIL}) and s.type = e.type
     where coalesce(s.amount, 0) <> coalesce(e.amount, 0) or coalesce(s.count, 0) <> coalesce(e.count, 0)
     order by 1, 2, 3, 4`,
    [userId ?? null, userId ?? null, userId ?? null, userId ?? null],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    grain: row.grain,
    starts: row.starts,
    accountId: row.account_id,
    transferAccountId: row.transfer_account_id,
    categoryId: row.category_id,
    type: row.type,
    stored: { amount: row.stored_amount, count: row.stored_count },
    expected: { amount: row.expected_amount, count: row.expected_count },
  }));
}
