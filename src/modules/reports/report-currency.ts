import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlParams } from '../../db/sql-params.js';
import { User } from '../users/user.entity.js';

/** The currency a report covers: the requested one (already checked by CurrencyArgs), or the user's. */
export async function reportCurrency(
  em: EntityManager,
  userId: string,
  requested: string | null | undefined,
): Promise<string> {
  if (requested == null) return (await em.findOneOrFail(User, { id: userId })).currency;
  return requested.toUpperCase();
}

/**
 * What reports count, as a condition on running totals `lt` (for segmentSums): income and
 * expenses (never transfers) on the user's accounts in `currency`.
 */
export const incomeAndExpensesIn =
  (userId: string, currency: string) =>
  (params: SqlParams): string =>
    `lt.type in ('INCOME', 'EXPENSE')
     and lt.account_id in (select id from accounts where user_id = ${params.add(userId)} and currency = ${params.add(currency)})`;
