import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors/app-error.js';
import { isUuid } from './ids.js';

/**
 * The caller's row with this id, or NOT_FOUND. Ownership is part of the query, so another user's
 * id answers exactly like an unknown or malformed one (which never reaches PostgreSQL).
 */
export async function findOwned<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  id: string,
  userId: string,
  what: string,
): Promise<T> {
  const row = isUuid(id) ? await em.findOne(entity, { id, user: userId } as FilterQuery<T>) : null;
  if (!row) throw notFound(what);
  return row;
}
