import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import { badInput } from '../../errors/app-error.js';
import { formatMoney } from '../../money/money.js';
import { toDateString } from '../../calendar/dates.js';
import { assertOwned } from './ownership.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { Transaction } from './transaction.entity.js';
import type { TransactionFilter } from './transaction.inputs.js';
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type TransactionsArgs } from './transaction.args.js';
import {
  SortDirection,
  TransactionSortField,
  type TransactionConnection,
} from './transaction-connection.type.js';

/** Column, SQL cast and cursor key of each sort field; ties are always broken by id. */
const SORT_KEYS = {
  [TransactionSortField.DATE]: {
    property: 'date',
    column: 't.date',
    cast: 'date',
    key: (t: Transaction) => toDateString(t.date),
  },
  [TransactionSortField.AMOUNT]: {
    property: 'amount',
    column: 't.amount',
    cast: 'numeric',
    key: (t: Transaction) => formatMoney(t.amount),
  },
  [TransactionSortField.CREATED_AT]: {
    property: 'createdAt',
    column: 't.created_at',
    cast: 'timestamptz',
    key: (t: Transaction) => t.createdAt.toISOString(),
  },
} as const;

/**
 * One page of the caller's transactions: filtered, in a total order, by keyset cursor
 * (no OFFSET scan) or by offset. The count runs only if the query selects totalCount.
 */
export async function listTransactions(
  em: EntityManager,
  userId: string,
  args: TransactionsArgs,
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
  const page = filtered(em, userId, filter)
    .orderBy({ [sortKey.property]: direction, id: direction })
    .limit(first + 1);
  if (position) {
    const comparison = direction === 'asc' ? '>' : '<';
    page.andWhere(`(${sortKey.column}, t.id) ${comparison} (?::${sortKey.cast}, ?::uuid)`, [
      position.key,
      position.id,
    ]);
  }
  if (offset) page.offset(offset);

  const rows = await page.getResultList();
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({
    node,
    cursor: encodeCursor({ field: sort.field, key: sortKey.key(node), id: node.id }),
  }));
  return {
    nodes,
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: position !== undefined || (offset ?? 0) > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    countTotal: () => filtered(em, userId, filter).getCount(),
  };
}

/** The caller's transactions matching the filter (as `t`). Check the filter's ids with assertOwned first. */
export function filtered(
  em: EntityManager,
  userId: string,
  filter: TransactionFilter,
): QueryBuilder<Transaction> {
  const qb = em.createQueryBuilder(Transaction, 't').where({ user: userId });
  if (filter.from) qb.andWhere({ date: { $gte: filter.from } });
  if (filter.to) qb.andWhere({ date: { $lte: filter.to } });
  if (filter.accountIds?.length) {
    qb.andWhere({
      $or: [{ account: { $in: filter.accountIds } }, { transferAccount: { $in: filter.accountIds } }],
    });
  }
  if (filter.categoryIds?.length) qb.andWhere({ category: { $in: filter.categoryIds } });
  if (filter.types?.length) qb.andWhere({ type: { $in: filter.types } });
  if (filter.minAmount != null) qb.andWhere('t.amount >= ?::numeric', [filter.minAmount]);
  if (filter.maxAmount != null) qb.andWhere('t.amount <= ?::numeric', [filter.maxAmount]);
  if (filter.search) qb.andWhere(`t.description ilike ? escape '\\'`, [`%${escapeLike(filter.search)}%`]);
  if (filter.tags?.length) qb.andWhere('t.tags @> array[?]::text[]', [filter.tags]);
  return qb;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
