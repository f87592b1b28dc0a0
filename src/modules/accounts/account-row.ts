import { isoInstant } from '../../db/sql-fragments.js';
import type { AccountType } from './account.entity.js';

/** An account as the API returns it, read in plain SQL: the Account GraphQL type's fields. */
export interface AccountRow {
  id: string;
  name: string;
  type: AccountType;
  currency: string;
  openingBalance: string;
  balance: string;
  archived: boolean;
  /** ISO-8601 instants. */
  createdAt: string;
  updatedAt: string;
}

/** The SQL of each field of an AccountRow, from the accounts table aliased `a`. */
const ACCOUNT_SQL: Record<keyof AccountRow, string> = {
  id: 'a.id',
  name: 'a.name',
  type: 'a.type',
  currency: 'a.currency',
  openingBalance: 'a.opening_balance::text',
  balance: 'a.balance::text',
  archived: 'a.archived',
  createdAt: isoInstant('a.created_at'),
  updatedAt: isoInstant('a.updated_at'),
};

export const ACCOUNT_FIELDS = Object.keys(ACCOUNT_SQL) as (keyof AccountRow)[];
export const isAccountField = (name: string): name is keyof AccountRow => name in ACCOUNT_SQL;

/**
 * The select list of `fields` (default: all) of an AccountRow from the accounts table aliased
 * `a`, each column named `prefix` + field (a query that also reads other tables keeps them
 * apart by prefix). Read it back with accountFieldsOf.
 */
export function accountColumns(prefix = '', fields: readonly (keyof AccountRow)[] = ACCOUNT_FIELDS): string {
  return fields.map((field) => `${ACCOUNT_SQL[field]} as "${prefix}${field}"`).join(', ');
}
