import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalId, isUuid } from '../../db/ids.js';
import { notFound } from '../../errors/app-error.js';

/**
 * Ids given in a filter must all be the caller's: another user's id is NOT_FOUND, exactly like an
 * id that does not exist, rather than silently matching nothing.
 */
export async function assertOwned(
  em: EntityManager,
  userId: string,
  ids: { accountIds?: string[] | null; categoryIds?: string[] | null },
): Promise<void> {
  await assertAllOwned(em, 'accounts', userId, ids.accountIds, 'Account');
  await assertAllOwned(em, 'categories', userId, ids.categoryIds, 'Category');
}

async function assertAllOwned(
  em: EntityManager,
  table: 'accounts' | 'categories',
  userId: string,
  ids: string[] | null | undefined,
  what: string,
): Promise<void> {
  if (!ids?.length) return;
  const unique = [...new Set(ids.map(canonicalId))];
  if (!unique.every(isUuid)) throw notFound(what);
  const [row] = await em.execute<{ count: string }[]>(
    `select count(*) as count from ${table} where user_id = ? and id in (?)`,
    [userId, unique],
  );
  if (Number(row?.count) !== unique.length) throw notFound(what);
}
