import { ownedRowLoader, type Context } from '../../context.js';
import { preparedRows } from '../../db/prepared-rows.js';
import { accountColumns, type AccountRow } from './account-row.js';

/**
 * The caller's accounts by id, batched per operation: one query for a page of transactions.
 * Read in SQL each time, so a balance moved earlier in the operation is current.
 */
export const accountLoader = (context: Context) =>
  ownedRowLoader(context, accountLoader, (userId, ids) =>
    preparedRows<AccountRow>(
      context.em,
      `select ${accountColumns()} from accounts a where a.user_id = $1 and a.id = any($2::uuid[])`,
      [userId, ids],
    ),
  );
