import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../users/user.entity.js';
import { Category, CategoryKind } from './category.entity.js';

/** What a new user starts with; they can rename or delete any of them. */
export const STARTER_CATEGORIES: { name: string; kind: CategoryKind }[] = [
  ...['Salary', 'Other income'].map((name) => ({ name, kind: CategoryKind.INCOME })),
  ...['Groceries', 'Housing', 'Utilities', 'Transport', 'Dining', 'Health', 'Entertainment', 'Other'].map(
    (name) => ({ name, kind: CategoryKind.EXPENSE }),
  ),
];

/**
 * Adds the starter set for a new user to the unit of work that creates the user (flushed with
 * it). Wired by the composition root as one of AppServices.onUserCreated.
 */
export function seedStarterCategories(em: EntityManager, userId: string): void {
  const user = em.getReference(User, userId);
  for (const { name, kind } of STARTER_CATEGORIES) em.persist(em.create(Category, { user, name, kind }));
}
