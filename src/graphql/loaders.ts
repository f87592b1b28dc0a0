import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { NIL_UUID } from '../db/ids.js';
import { Account } from '../modules/accounts/account.entity.js';
import { Budget } from '../modules/budgets/budget.entity.js';
import { Category } from '../modules/categories/category.entity.js';

/** Batches lookups by id within one request: a page of rows costs one query per relation. */
export class EntityLoader<T extends { id: string }> {
  private readonly loader: DataLoader<string, T | null>;

  constructor(fetch: (ids: readonly string[]) => Promise<T[]>) {
    this.loader = new DataLoader(async (ids) => {
      const byId = new Map((await fetch(ids)).map((entity) => [entity.id, entity]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  async load(id: string): Promise<T> {
    const entity = await this.loader.load(id);
    // Ids reach a loader only from rows the caller owns, so a miss is a broken invariant.
    if (!entity) throw new Error(`Missing ${id}`);
    return entity;
  }

  async loadOptional(id: string | null | undefined): Promise<T | null> {
    return id ? this.loader.load(id) : null;
  }
}

export interface Loaders {
  account: EntityLoader<Account>;
  category: EntityLoader<Category>;
  budget: EntityLoader<Budget>;
}

/**
 * Per-request loaders, scoped to the caller. refresh: the request may have changed balances in
 * SQL after the identity map first saw an account.
 */
export function createLoaders(em: EntityManager, userId: string | undefined): Loaders {
  const owner = userId ?? NIL_UUID;
  return {
    account: new EntityLoader((ids) =>
      em.find(Account, { id: { $in: [...ids] }, user: owner }, { refresh: true }),
    ),
    category: new EntityLoader((ids) => em.find(Category, { id: { $in: [...ids] }, user: owner })),
    budget: new EntityLoader((ids) => em.find(Budget, { id: { $in: [...ids] }, user: owner })),
  };
}
