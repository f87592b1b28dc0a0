import type { EntityManager } from '@mikro-orm/postgresql';
import { formatMoney } from '../../money/money.js';
import { SqlParams } from '../../db/sql-params.js';
import { filterCondition } from '../transactions/transaction-filter.js';
import type { TransactionFilter } from '../transactions/transaction.inputs.js';

export interface ExportRow {
  date: string;
  type: string;
  amount: string;
  currency: string;
  account: string;
  transferAccount: string | null;
  category: string | null;
  description: string | null;
  tags: string[];
  id: string;
}

/** Rows per query: about 250 KB of text with the longest descriptions, a few ms of database time. */
export const PAGE_SIZE = 500;

/** Where a page ends: the next one starts after this (date, id). */
export interface PagePosition {
  date: string;
  id: string;
}

/**
 * The next page of the caller's matching transactions, oldest first (date, then id), after
 * `after` (from the start without it). Check the filter's ids with assertOwned first.
 *
 * Each page is its own short query (in its own short transaction, see below), by keyset on the
 * (user_id, date, id) index: between pages the export holds no connection and no transaction,
 * however slowly its client reads.
 *
 * The price is that an export is not one snapshot: a row written while it runs may or may not
 * be in the file (a row added behind the current position is missed, one ahead is included, and
 * a row whose date is edited meanwhile may appear twice or not at all). That is the right trade
 * for a download of one's own data, which can be repeated: a snapshot needs a transaction (or
 * cursor) open for as long as the client takes to read, and on the embedded database's single
 * connection that would stop every other user for the whole download.
 */
export async function readExportPage(
  em: EntityManager,
  userId: string,
  filter: TransactionFilter,
  after?: PagePosition,
): Promise<ExportRow[]> {
  // Question-mark placeholders: the page runs in a transaction, through MikroORM's execute.
  const params = new SqlParams('question');
  const conditions = [filterCondition(userId, filter, params)];
  if (after)
    conditions.push(`(t.date, t.id) > (${params.add(after.date)}::date, ${params.add(after.id)}::uuid)`);
  const query = `select t.id, t.date::text as date, t.type, t.amount::text as amount, a.currency,
       a.name as account, ta.name as transfer_account, c.name as category, t.description, t.tags
     from transactions t
     join accounts a on a.id = t.account_id
     left join accounts ta on ta.id = t.transfer_account_id
     left join categories c on c.id = t.category_id
     where ${conditions.join(' and ')}
     order by t.date asc, t.id asc
     limit ${params.add(PAGE_SIZE)}`;
  // The page must be a walk along the (user_id, date, id) index that stops after PAGE_SIZE rows.
  // Without fresh statistics (after a bulk import; always on the embedded database, which has no
  // autovacuum process) the planner may think few rows match and scan and sort all the remaining
  // ones for every page instead: 5x slower at 100,000 rows, and worse as they grow. Sorts turned
  // off for this one query leave it the index walk; that only weighs plans, so the rows are the
  // same whatever the plan.
  const rows = await em.transactional(async (tx) => {
    await tx.execute('set local enable_sort = off');
    return tx.execute<Record<string, unknown>[]>(query, params.values);
  });
  return rows.map(toExportRow);
}

function toExportRow(row: Record<string, unknown>): ExportRow {
  return {
    date: String(row.date),
    type: String(row.type),
    amount: formatMoney(String(row.amount)),
    currency: String(row.currency),
    account: String(row.account),
    transferAccount: (row.transfer_account as string | null) ?? null,
    category: (row.category as string | null) ?? null,
    description: (row.description as string | null) ?? null,
    tags: (row.tags as string[]) ?? [],
    id: String(row.id),
  };
}
