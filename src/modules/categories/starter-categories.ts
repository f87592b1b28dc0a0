import { CategoryKind } from './category.entity.js';

/** What a new user starts with; they can rename or delete any of them. */
export const STARTER_CATEGORIES: { name: string; kind: CategoryKind }[] = [
  ...['Salary', 'Other income'].map((name) => ({ name, kind: CategoryKind.INCOME })),
  ...['Groceries', 'Housing', 'Utilities', 'Transport', 'Dining', 'Health', 'Entertainment', 'Other'].map(
    (name) => ({ name, kind: CategoryKind.EXPENSE }),
  ),
];
