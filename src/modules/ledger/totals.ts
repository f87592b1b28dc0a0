import type { EntityManager } from '@mikro-orm/postgresql';
import { monthStart } from '../../calendar/dates.js';
import type { SqlParams } from '../../db/sql-params.js';
import { formatCents, toCents } from '../../money/money.js';
import type { LedgerEntry } from './balances.js';

/**
 * The one module that changes ledger_totals: the amount and count of a user's transactions per
 * day and per calendar month, account, transfer account, category and type. Like balances, they
 * change only as deltas (`amount = amount + delta`) inside the database transaction that changes
 * the rows, so they always equal a recomputation from the rows (ledger/verify.ts checks it).
 * Reads of any date range add up at most a few partial months of days and whole months between
 * (ledger/total-ranges.ts), whatever the length of the history.
 */

/** A transaction as the totals count it. */
export interface TotalsEntry extends LedgerEntry {
  date: string;
  categoryId: string | null;
}

export type Grain = 'day' | 'month';
const GRAINS: Grain[] = ['day', 'month'];

/** The change of one totals row. */
export interface TotalsDelta {
  grain: Grain;
  starts: string;
  entry: TotalsEntry;
  cents: bigint;
  count: number;
}

/** What turns the totals of `before` into those of `after` (either may be absent); no zero change. */
export function totalsDeltas(before: TotalsEntry | null, after: TotalsEntry | null): TotalsDelta[] {
  return totalsOfChanges([
    ...(before ? [{ entry: before, sign: -1 as const }] : []),
    ...(after ? [{ entry: after, sign: 1 as const }] : []),
  ]);
}

/**
 * The totals change of adding (sign 1) or removing (sign -1) each entry: one delta per totals
 * row touched, however many entries share it (a batch of imported rows is one statement).
 */
export function totalsOfChanges(changes: { entry: TotalsEntry; sign: 1 | -1 }[]): TotalsDelta[] {
  const deltas = new Map<string, TotalsDelta>();
  const add = (entry: TotalsEntry, sign: 1 | -1) => {
    for (const grain of GRAINS) {
      const starts = grain === 'day' ? entry.date : monthStart(entry.date);
      const key = [
        grain,
        starts,
        entry.accountId,
        entry.transferAccountId,
        entry.categoryId,
        entry.type,
      ].join('|');
      const delta = deltas.get(key) ?? { grain, starts, entry, cents: 0n, count: 0 };
      delta.cents += BigInt(sign) * toCents(entry.amount);
      delta.count += sign;
      deltas.set(key, delta);
    }
  };
  for (const { entry, sign } of changes) add(entry, sign);
  // In key order, so concurrent writes lock shared rows in one order.
  return [...deltas]
    .filter(([, delta]) => delta.cents !== 0n || delta.count !== 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, delta]) => delta);
}

/** The columns of a ledger_totals row, in the order writes and recounts give them. */
export const TOTALS_COLUMNS =
  'user_id, grain, starts, account_id, transfer_account_id, category_id, type, amount, count';
const ADD_EXCLUDED = `on conflict on constraint ledger_totals_key
  do update set amount = lt.amount + excluded.amount, count = lt.count + excluded.count`;

/**
 * The INSERT … ON CONFLICT that adds `deltas` to the user's totals, or null when nothing
 * changes. A write runs it as a data-modifying CTE of the statement that changes the row.
 */
export function totalsUpdate(userId: string, deltas: TotalsDelta[], params: SqlParams): string | null {
  if (deltas.length === 0) return null;
  const rows = deltas.map(
    ({ grain, starts, entry, cents, count }) =>
      `(${params.add(userId)}::uuid, ${params.add(grain)}, ${params.add(starts)}::date,
        ${params.add(entry.accountId)}::uuid, ${params.add(entry.transferAccountId)}::uuid,
        ${params.add(entry.categoryId)}::uuid, ${params.add(entry.type)}::transaction_type,
        ${params.add(formatCents(cents))}::numeric, ${params.add(count)}::int)`,
  );
  return `insert into ledger_totals as lt (${TOTALS_COLUMNS}) values ${rows.join(', ')} ${ADD_EXCLUDED}`;
}

/**
 * Before a category is deleted: makes its transactions uncategorized (what its foreign key would
 * do) and moves its totals to "uncategorized", in the caller's database transaction. The
 * category row is locked first, so a write that is adding to it finishes before (and one that
 * starts after finds it gone); the transactions are updated before the totals are moved, so a
 * write moving one of them away from the category has finished too.
 */
export async function uncategorize(em: EntityManager, userId: string, categoryId: string): Promise<void> {
  await em.execute('select id from categories where id = ? and user_id = ? for update', [categoryId, userId]);
  await em.execute('update transactions set category_id = null where user_id = ? and category_id = ?', [
    userId,
    categoryId,
  ]);
  await em.execute(
    `with moved as (delete from ledger_totals where user_id = ? and category_id = ? returning *)
     insert into ledger_totals as lt (${TOTALS_COLUMNS})
     select user_id, grain, starts, account_id, transfer_account_id, null, type, amount, count from moved
     ${ADD_EXCLUDED}`,
    [userId, categoryId],
  );
}
