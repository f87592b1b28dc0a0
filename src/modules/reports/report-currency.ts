import type { EntityManager } from '@mikro-orm/postgresql';
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
