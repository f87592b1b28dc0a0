import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NIL_UUID } from '../../db/ids.js';
import { SqlParams } from '../../db/sql-params.js';
import { prefixedColumns } from '../../db/sql-fragments.js';
import { ACCOUNT_FIELDS, accountColumns, type AccountRow } from '../accounts/account-row.js';
import { balanceUpdate, type BalanceEffects, type LockedAccount } from '../ledger/balances.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from './transaction-row.js';
import type { TransactionSpec } from './transaction-spec.js';

/** What a write reads under its locks before it checks anything. */
export interface WriteTargets {
  /** The caller's accounts among those asked for, row-locked. */
  accounts: Map<string, LockedAccount>;
  /** The kind of the caller's category `categoryId`; null when there is none such. */
  categoryKind: string | null;
  /** Whether the caller has any budget (else no alert can fire and none is evaluated). */
  hasBudgets: boolean;
}

/**
 * One statement: locks the caller's accounts among `accountIds` in id order (the rule of
 * ledger/balances lockAccounts, so concurrent transfers cannot deadlock) and reads the
 * category's kind and whether any budget exists. When no account matches there is no row, and the
 * write answers NOT_FOUND for the account before anything else.
 */
export async function lockWriteTargets(
  em: EntityManager,
  userId: string,
  accountIds: string[],
  categoryId: string | null,
): Promise<WriteTargets> {
  const rows = await em.execute<(LockedAccount & { category_kind: string | null; has_budgets: boolean })[]>(
    `select a.id, a.currency, a.archived, a.balance::text as balance,
            (select c.kind from categories c where c.user_id = ? and c.id = ?) as category_kind,
            exists (select 1 from budgets b where b.user_id = ?) as has_budgets
     from accounts a where a.user_id = ? and a.id in (?) order by a.id for update`,
    [userId, categoryId ?? NIL_UUID, userId, userId, [...accountIds].sort()],
  );
  return {
    accounts: new Map(
      rows.map(({ category_kind: _kind, has_budgets: _budgets, ...account }) => [account.id, account]),
    ),
    categoryKind: rows[0]?.category_kind ?? null,
    hasBudgets: rows[0]?.has_budgets ?? false,
  };
}

/**
 * Stores `spec` as a new row (existingId null) or over the caller's row `existingId`, and moves
 * the balances by `effects` (checked by the caller), in one statement. Returns the stored row with
 * its account as it is after the write when that account's balance moved.
 */
export async function storeTransaction(
  em: EntityManager,
  userId: string,
  existingId: string | null,
  spec: TransactionSpec,
  effects: BalanceEffects,
): Promise<TransactionRow> {
  const params = new SqlParams('question');
  // `?` placeholders bind in the order they appear in the text: add them in that order.
  const moved = balanceUpdate(effects, params, accountColumns('a.'));
  const key = existingId ? null : [params.add(randomUUID()), params.add(userId)];
  const values = {
    type: `${params.add(spec.type)}::transaction_type`,
    amount: `${params.add(spec.amount)}::numeric`,
    date: `${params.add(spec.date)}::date`,
    account_id: `${params.add(spec.accountId)}::uuid`,
    transfer_account_id: `${params.add(spec.transferAccountId)}::uuid`,
    category_id: `${params.add(spec.categoryId)}::uuid`,
    description: `${params.add(spec.description)}::text`,
    tags: params.array(spec.tags, 'text'),
  };
  const change = existingId
    ? `update transactions t set ${Object.entries(values)
        .map(([column, value]) => `${column} = ${value}`)
        .join(', ')},
         updated_at = now()
       where t.id = ${params.add(existingId)} and t.user_id = ${params.add(userId)}
       returning ${TRANSACTION_COLUMNS}`
    : `insert into transactions as t (id, user_id, ${Object.keys(values).join(', ')})
       values (${key!.join(', ')}, ${Object.values(values).join(', ')})
       returning ${TRANSACTION_COLUMNS}`;
  const sql = moved
    ? `with moved as (${moved}), changed as (${change})
       select changed.*, (select json_agg(moved) from moved) as moved from changed`
    : change;
  const [row] = await em.execute<(TransactionColumns & { moved?: Record<string, unknown>[] | null })[]>(
    sql,
    params.values,
  );
  const stored = toTransactionRow(row!);
  const account = row!.moved?.find((entry) => entry['a.id'] === stored.account.id);
  if (account) {
    stored.joined = {
      account: prefixedColumns(ACCOUNT_FIELDS, 'a.')(account) as unknown as AccountRow,
      category: undefined,
    };
  }
  return stored;
}
