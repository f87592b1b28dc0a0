import { isoInstant } from '../../db/sql-fragments.js';
import type { AccountRow } from '../accounts/account-row.js';
import type { CategoryRow } from '../categories/category-row.js';
import type { TransactionType } from './transaction.entity.js';

/**
 * A transaction as the API returns it: plain data read in SQL, no managed entity. Its fields are
 * the Transaction GraphQL type's; relations are references ({ id }) that the field resolvers load
 * in batches, the same shape a MikroORM reference has.
 */
export interface TransactionRow {
  id: string;
  type: TransactionType;
  amount: string;
  date: string;
  description: string | null;
  payee: string | null;
  tags: string[];
  /** The id the bank gave the row in the file it was imported from (unique per account). */
  bankId: string | null;
  /** The import that created it, if one did. */
  importId: string | null;
  /** ISO-8601 instants. */
  createdAt: string;
  updatedAt: string;
  account: { id: string };
  transferAccount: { id: string } | null;
  category: { id: string } | null;
  /**
   * The account and category themselves, with the fields the query selects, when the statement
   * that read the row joined them (a list page): the field resolvers then answer without a
   * loader, a promise or another query. Absent (or undefined inside) when not joined.
   */
  joined?: { account: AccountRow | undefined; category: CategoryRow | null | undefined };
  /**
   * On the row a write returns: every account whose balance that write moved, as it is after
   * the write (a move includes the account left). Absent on rows read otherwise.
   */
  affected?: AccountRow[];
}

/** The select list (table alias `t`) that toTransactionRow reads. */
export const TRANSACTION_COLUMNS = `t.id, t.type, t.amount::text as amount, t.date::text as date, t.description, t.payee, t.tags, t.bank_id, t.import_id,
  ${isoInstant('t.created_at')} as created_at, ${isoInstant('t.updated_at')} as updated_at,
  t.account_id, t.transfer_account_id, t.category_id`;

export interface TransactionColumns {
  id: string;
  type: TransactionType;
  amount: string;
  date: string;
  description: string | null;
  payee: string | null;
  tags: string[];
  bank_id: string | null;
  import_id: string | null;
  created_at: string;
  updated_at: string;
  account_id: string;
  transfer_account_id: string | null;
  category_id: string | null;
}

export function toTransactionRow(row: TransactionColumns): TransactionRow {
  return {
    id: row.id,
    type: row.type,
    amount: row.amount,
    date: row.date,
    description: row.description,
    payee: row.payee,
    tags: row.tags,
    bankId: row.bank_id,
    importId: row.import_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    account: { id: row.account_id },
    transferAccount: row.transfer_account_id === null ? null : { id: row.transfer_account_id },
    category: row.category_id === null ? null : { id: row.category_id },
  };
}
