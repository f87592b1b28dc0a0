import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { findOwned } from '../../db/find-owned.js';
import { assertBelowLimit } from '../../limits/user-limits.js';
import { inRetryingTransaction } from '../../db/retrying-transaction.js';
import { badInput, conflict } from '../../errors/app-error.js';
import { uncategorize } from '../ledger/totals.js';
import { Category, CategoryKind } from './category.entity.js';
import type { CreateCategoryInput, UpdateCategoryInput } from './category.inputs.js';

const DUPLICATE = 'A category with this name already exists here';

export class CategoryService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  list(kind?: CategoryKind | null): Promise<Category[]> {
    return this.em.find(
      Category,
      { user: this.userId, ...(kind ? { kind } : {}) },
      { orderBy: { kind: 'asc', name: 'asc', id: 'asc' } },
    );
  }

  async get(id: string, field?: string): Promise<Category> {
    return findOwned(this.em, Category, id, this.userId, field ? `Category (${field})` : 'Category');
  }

  /** Refused past `maxCategories` categories (MAX_CATEGORIES). */
  async create(input: CreateCategoryInput, maxCategories: number): Promise<Category> {
    const parent = input.parentId ? await this.get(input.parentId, 'parentId') : null;
    if (parent && parent.kind !== input.kind) {
      throw badInput('parentId', 'The parent category must be of the same kind');
    }
    return uniqueName(() =>
      this.em.transactional(async (em) => {
        await assertBelowLimit(em, this.userId, 'categories', maxCategories);
        return em.create(Category, {
          user: this.userId,
          name: input.name.trim(),
          kind: input.kind,
          parent: parent?.id ?? null,
          color: input.color ?? null,
        });
      }),
    );
  }

  async update(id: string, input: UpdateCategoryInput): Promise<Category> {
    const category = await this.get(id);
    if (input.name != null) category.name = input.name.trim();
    if (input.color !== undefined) category.color = input.color;
    if (input.parentId !== undefined) category.parent = await this.validParent(category, input.parentId);
    await this.flushUnique();
    return category;
  }

  /**
   * Deletes the caller's category. Children move up to its parent; its transactions and their
   * running totals become uncategorized (ledger/totals uncategorize) and its budgets are deleted
   * (by foreign key). Retried like ledger writes, since it touches rows those lock too. Returns
   * the ids of those budgets and of the children moved, for a client cache to follow.
   */
  async delete(id: string): Promise<{ budgetIds: string[]; reparentedIds: string[] }> {
    const category = await this.get(id);
    return inRetryingTransaction(this.em, async (em) => {
      await uncategorize(em, this.userId, category.id);
      const children = await em.execute<{ id: string }[]>(
        'update categories set parent_id = ? where parent_id = ? returning id',
        [category.parent?.id ?? null, category.id],
      );
      // Read here, not through the budgets feature: the cascade deletes them with the row.
      const budgets = await em.execute<{ id: string }[]>('select id from budgets where category_id = ?', [
        category.id,
      ]);
      await em.nativeDelete(Category, { id: category.id, user: this.userId });
      return { budgetIds: budgets.map((b) => b.id), reparentedIds: children.map((c) => c.id) };
    }).catch((error: unknown) => {
      if (error instanceof UniqueConstraintViolationException) {
        throw conflict('A child category has the same name as one under the new parent; rename it first');
      }
      throw error;
    });
  }

  /** The new parent: the caller's, of the same kind, and not the category or one of its descendants. */
  private async validParent(category: Category, parentId: string | null): Promise<Category | null> {
    if (parentId === null) return null;
    const parent = await this.get(parentId, 'parentId');
    if (parent.kind !== category.kind)
      throw badInput('parentId', 'The parent category must be of the same kind');
    const [row] = await this.em.execute<{ cycle: boolean }[]>(
      `with recursive ancestors(id, parent_id) as (
         select id, parent_id from categories where id = ?
         union
         select c.id, c.parent_id from categories c join ancestors a on c.id = a.parent_id
       )
       select exists(select 1 from ancestors where id = ?) as cycle`,
      [parent.id, category.id],
    );
    if (row?.cycle) throw badInput('parentId', 'A category cannot be its own ancestor');
    return parent;
  }

  private flushUnique(): Promise<void> {
    return uniqueName(() => this.em.flush());
  }
}

/** A name already used under the same parent is CONFLICT. */
async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw conflict(DUPLICATE);
    throw error;
  }
}
