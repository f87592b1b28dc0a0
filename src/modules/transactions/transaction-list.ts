import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors/app-error.js';
import { formatMoney } from '../../money/money.js';
import { assertOwned } from './ownership.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { filterCondition, totalsCount } from './transaction-filter.js';
import { preparedRows } from '../../db/prepared-rows.js';
import { isoInstant, prefixedColumns } from '../../db/sql-fragments.js';
import { SqlParams } from '../../db/sql-params.js';
import { accountColumns, type AccountRow } from '../accounts/account-row.js';
import { categoryColumns, categoryRowOf } from '../categories/category-row.js';
import type { JoinedSelection } from './transaction-selection.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from './transaction-row.js';
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type TransactionsArgs } from './transaction.args.js';
import type { TransactionFilter } from './transaction.inputs.js';
import {
  SortDirection,
  TransactionSortField,
  type TransactionConnection,
} from './transaction-connection.type.js';

/** Each listed row's created_at to the microsecond, when the page is sorted by it. */
const exactCreatedAt = new WeakMap<TransactionRow, string>();

/** Column, SQL cast and cursor key of each sort field; ties are always broken by id. */
const SORT_KEYS = {
  [TransactionSortField.DATE]: {
    column: 't.date',
    cast: 'date',
    key: (t: TransactionRow) => t.date,
  },
  [TransactionSortField.AMOUNT]: {
    column: 't.amount',
    cast: 'numeric',
    key: (t: TransactionRow) => formatMoney(t.amount),
  },
  [TransactionSortField.CREATED_AT]: {
    column: 't.created_at',
    cast: 'timestamptz',
    // To the microsecond, as stored: the millisecond createdAt would skip or repeat rows
    // created within one millisecond.
    key: (t: TransactionRow) => exactCreatedAt.get(t)!,
  },
} as const;

/**
 * The cursor `row` has in a list sorted by `field`. Sorted by CREATED_AT, the key is created_at to
 * the microsecond: known for a row listed in that order, else read with `exactCreatedAt`.
 */
export async function cursorOfRow(
  row: TransactionRow,
  field: TransactionSortField,
  readExactCreatedAt: (id: string) => Promise<string>,
): Promise<string> {
  if (field === TransactionSortField.CREATED_AT && !exactCreatedAt.has(row)) {
    exactCreatedAt.set(row, await readExactCreatedAt(row.id));
  }
  return rowCursor(row, field);
}

/** The cursor of a row whose sort key is at hand (see cursorOfRow for CREATED_AT). */
const rowCursor = (row: TransactionRow, field: TransactionSortField): string =>
  encodeCursor({ field, key: SORT_KEYS[field].key(row), id: row.id });

/** The caller's rows' created_at to the microsecond, by id (for cursorOfRow). */
export const exactCreatedAts = (
  em: EntityManager,
  userId: string,
  ids: string[],
): Promise<{ id: string; createdAt: string }[]> =>
  preparedRows(
    em,
    `select id, ${isoInstant('created_at', 'microseconds')} as "createdAt" from transactions
     where user_id = $1 and id = any($2::uuid[])`,
    [userId, ids],
  );

/**
 * One page of the caller's transactions: filtered, in a total order, by keyset cursor
 * (no OFFSET scan) or by offset. Plain rows in one SQL statement, no entities. The count runs
 * only if the query selects totalCount.
 */
export async function listTransactions(
  em: EntityManager,
  userId: string,
  args: TransactionsArgs,
  /** The account and category columns to read with the rows (transactionSelection). */
  joined: JoinedSelection = { account: null, category: null },
): Promise<TransactionConnection> {
  const sort = args.sort ?? DEFAULT_SORT;
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  const { after, offset } = args;
  if (after != null && offset != null) throw badInput('offset', 'Use either after or offset, not both');
  const position = after != null ? decodeCursor(after, sort.field) : undefined;
  const filter = args.filter ?? {};
  await assertOwned(em, userId, filter);

  const sortKey = SORT_KEYS[sort.field];
  const direction = sort.direction === SortDirection.ASC ? 'asc' : 'desc';
  const params = new SqlParams('numbered');
  const where = filterCondition(userId, filter, params);
  const conditions = [where];
  if (position) {
    const [key, id] = [params.add(position.key), params.add(position.id)];
    conditions.push(
      `(${sortKey.column}, t.id) ${direction === 'asc' ? '>' : '<'} (${key}::${sortKey.cast}, ${id}::uuid)`,
    );
  }
  // The page with the account and category fields the query selects, in one statement: the
  // nested fields of a page then cost no further query, loader or promise (bench/ R1).
  const { account, category } = joined;
  const select = [
    TRANSACTION_COLUMNS,
    ...(sort.field === TransactionSortField.CREATED_AT
      ? [`${isoInstant('t.created_at', 'microseconds')} as created_at_exact`]
      : []),
    ...(account ? [accountColumns('a.', account)] : []),
    ...(category ? [categoryColumns('c.', category)] : []),
  ];
  const raw = await preparedRows<TransactionColumns & Record<string, unknown>>(
    em,
    `select ${select.join(', ')}
     from transactions t
     ${account ? 'join accounts a on a.id = t.account_id' : ''}
     ${category ? 'left join categories c on c.id = t.category_id' : ''}
     where ${conditions.join(' and ')}
     order by ${sortKey.column} ${direction}, t.id ${direction}
     limit ${params.add(first + 1)} offset ${params.add(offset ?? 0)}`,
    params.values,
  );
  const accountOf = account && prefixedColumns(account, 'a.');
  const categoryOf = category && prefixedColumns(category, 'c.');
  const rows: TransactionRow[] = raw.map((row) => {
    const transaction = toTransactionRow(row);
    if (row.created_at_exact) exactCreatedAt.set(transaction, row.created_at_exact as string);
    if (accountOf || categoryOf) {
      transaction.joined = {
        account: accountOf ? (accountOf(row) as unknown as AccountRow) : undefined,
        category: categoryOf && row['c.id'] !== null ? categoryRowOf(categoryOf(row)) : null,
      };
    }
    return transaction;
  });

  const nodes = rows.slice(0, first);
  const cursorOf = (node: TransactionRow) => rowCursor(node, sort.field);
  return {
    nodes,
    // Cursors are made only for a query that selects edges.
    get edges() {
      return nodes.map((node) => ({ node, cursor: cursorOf(node) }));
    },
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: position !== undefined || (offset ?? 0) > 0,
      startCursor: nodes.length ? cursorOf(nodes[0]!) : null,
      endCursor: nodes.length ? cursorOf(nodes.at(-1)!) : null,
    },
    countTotal: () => countTransactions(em, userId, filter),
  };
}

/**
 * How many of the caller's transactions match: from the running totals when the filter allows
 * (dates, accounts, categories, types), else by counting the rows, which the statement timeout
 * bounds; a count it cuts short is BAD_USER_INPUT on the filter.
 */
async function countTransactions(
  em: EntityManager,
  userId: string,
  filter: TransactionFilter,
): Promise<number> {
  const params = new SqlParams('numbered');
  const sql =
    totalsCount(userId, filter, params) ??
    `select count(*) as count from transactions t where ${filterCondition(userId, filter, params)}`;
  try {
    const [row] = await preparedRows<{ count: string }>(em, sql, params.values);
    return Number(row!.count);
  } catch (error) {
    if ((error as { code?: unknown }).code === QUERY_CANCELED) {
      throw badInput(
        'filter',
        'Counting these transactions took too long; narrow the filter (e.g. by dates)',
      );
    }
    throw error;
  }
}

/** PostgreSQL's code for a statement cut by statement_timeout. */
const QUERY_CANCELED = '57014';
