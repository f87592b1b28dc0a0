import { isoInstant } from '../../db/sql-fragments.js';
import type { CategoryKind } from './category.entity.js';

/** A category as the API returns it, read in plain SQL; parent is a reference like an entity's. */
export interface CategoryRow {
  id: string;
  name: string;
  kind: CategoryKind;
  color: string | null;
  parent: { id: string } | null;
  /** ISO-8601 instants. */
  createdAt: string;
  updatedAt: string;
}

/** The SQL of each column of a CategoryRow (parent as parentId), from categories aliased `c`. */
const CATEGORY_SQL = {
  id: 'c.id',
  name: 'c.name',
  kind: 'c.kind',
  color: 'c.color',
  parentId: 'c.parent_id',
  createdAt: isoInstant('c.created_at'),
  updatedAt: isoInstant('c.updated_at'),
};

export type CategoryColumn = keyof typeof CATEGORY_SQL;
export const CATEGORY_COLUMNS = Object.keys(CATEGORY_SQL) as CategoryColumn[];

/** The column that answers a Category field (parent is answered from parentId). */
export function categoryColumnOf(field: string): CategoryColumn | undefined {
  const column = field === 'parent' ? 'parentId' : field;
  return column in CATEGORY_SQL ? (column as CategoryColumn) : undefined;
}

/**
 * The select list of `columns` (default: all) of a CategoryRow from the categories table
 * aliased `c`, each named `prefix` + column; read it back with categoryRowOf.
 */
export function categoryColumns(prefix = '', columns: readonly CategoryColumn[] = CATEGORY_COLUMNS): string {
  return columns.map((column) => `${CATEGORY_SQL[column]} as "${prefix}${column}"`).join(', ');
}

/** The row's category from its raw columns (parentId becomes the parent reference). */
export function categoryRowOf(raw: Partial<Record<CategoryColumn, unknown>>): CategoryRow {
  // Spelled out, not spread: this runs for every row of a page.
  return {
    id: raw.id,
    name: raw.name,
    kind: raw.kind,
    color: raw.color,
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
    parent: raw.parentId ? { id: raw.parentId as string } : null,
  } as CategoryRow;
}
