import type { EntityManager } from '@mikro-orm/postgresql';

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
