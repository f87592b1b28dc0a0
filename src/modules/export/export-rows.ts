import type { EntityManager } from '@mikro-orm/postgresql';
import { formatMoney } from '../../money/money.js';
import { filtered } from '../transactions/transaction-list.js';
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

const BATCH = 500;

/**
 * The caller's matching transactions, oldest first, read through a server-side cursor in
 * batches, so memory stays flat however many rows there are. Must run inside a database
 * transaction (the cursor lives until it ends).
 */
export async function* exportRows(
  em: EntityManager,
  userId: string,
  filter: TransactionFilter,
): AsyncGenerator<ExportRow> {
  const query = filtered(em, userId, filter)
    .getKnexQuery()
    .clearSelect()
    .join('accounts as a', 'a.id', 't.account_id')
    .leftJoin('accounts as ta', 'ta.id', 't.transfer_account_id')
    .leftJoin('categories as c', 'c.id', 't.category_id')
    .select(
      em.getKnex().raw(
        `t.id, t.date::text as date, t.type, t.amount::text as amount, a.currency, a.name as account,
         ta.name as transfer_account, c.name as category, t.description, t.tags`,
      ),
    )
    .orderBy([
      { column: 't.date', order: 'asc' },
      { column: 't.id', order: 'asc' },
    ])
    .toSQL();
  await em.execute(`declare export_rows no scroll cursor for ${query.sql}`, [...query.bindings]);
  try {
    for (;;) {
      const rows = await em.execute<Record<string, unknown>[]>(`fetch ${BATCH} from export_rows`);
      for (const row of rows) {
        yield {
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
      if (rows.length < BATCH) return;
    }
  } finally {
    await em.execute('close export_rows').catch(() => undefined);
  }
}
