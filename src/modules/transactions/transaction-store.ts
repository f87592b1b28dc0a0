import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NIL_UUID } from '../../db/ids.js';
import { SqlParams } from '../../db/sql-params.js';
import { prefixedColumns } from '../../db/sql-fragments.js';
import { ACCOUNT_FIELDS, accountColumns, type AccountRow } from '../accounts/account-row.js';
import { expensesOf, type SpendingChange } from '../alerts/alert-evaluation.js';
import { balanceUpdate, type BalanceEffects, type LockedAccount } from '../ledger/balances.js';
import { enabledRulesColumn } from '../rule-matching/enabled-rules.js';
import type { StoredRule } from '../rule-matching/rule-engine.js';
import { totalsUpdate, type TotalsDelta } from '../ledger/totals.js';
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
  /**
   * The caller's `alert_rules_version` when the change has an expense (alerts/alerting-budgets.ts:
   * which budgets to evaluate after the commit), else null.
   */
  alertRulesVersion: string | null;
  /** The caller's enabled rules in their order, when asked for (a create); else empty. */
  rules: StoredRule[];
}

/**
 * One statement: locks the caller's accounts among `accountIds` in id order (the rule of
 * ledger/balances lockAccounts, so concurrent transfers cannot deadlock) and reads the
 * category's kind, when `changes` has an expense the version of the user's alerting budgets,
 * and with `withRules` the caller's enabled rules. When no account matches there is no row, and the
 * write answers NOT_FOUND for the account first.
 */
export async function lockWriteTargets(
  em: EntityManager,
  userId: string,
  accountIds: string[],
  categoryId: string | null,
  changes: (SpendingChange | null)[],
  withRules = false,
): Promise<WriteTargets> {
  const params = new SqlParams('question');
  const sql = `select a.id, a.currency, a.archived, a.balance::text as balance,
       (select c.kind from categories c where c.user_id = ${params.add(userId)} and c.id = ${params.add(categoryId ?? NIL_UUID)}) as category_kind,
       ${
         expensesOf(changes).length > 0
           ? `(select u.alert_rules_version::text from users u where u.id = ${params.add(userId)})`
           : 'null::text'
       } as alert_rules_version,
       ${withRules ? enabledRulesColumn(userId, params) : `'[]'::json`} as rules
     from accounts a where a.user_id = ${params.add(userId)} and a.id = any(${params.simpleArray([...accountIds].sort(), 'uuid')})
     order by a.id for update of a`;
  const rows = await em.execute<
    (LockedAccount & {
      category_kind: string | null;
      alert_rules_version: string | null;
      rules: StoredRule[];
    })[]
  >(sql, params.values);
  return {
    accounts: new Map(
      rows.map(({ category_kind: _kind, alert_rules_version: _version, rules: _rules, ...account }) => [
        account.id,
        account,
      ]),
    ),
    categoryKind: rows[0]?.category_kind ?? null,
    alertRulesVersion: rows[0]?.alert_rules_version ?? null,
    rules: rows[0]?.rules ?? [],
  };
}

/**
 * Stores `spec` as a new row (existingId null) or over the caller's row `existingId`, and moves
 * the balances by `effects` (checked by the caller) and the totals by `totals`, in one
 * statement. Returns the stored row with its account as it is after the write when that
 * account's balance moved.
 */
export async function storeTransaction(
  em: EntityManager,
  userId: string,
  existingId: string | null,
  spec: TransactionSpec,
  effects: BalanceEffects,
  totals: TotalsDelta[],
): Promise<TransactionRow> {
  const params = new SqlParams('question');
  // `?` placeholders bind in the order they appear in the text: add them in that order.
  const moved = balanceUpdate(effects, params, accountColumns('a.'));
  const counted = totalsUpdate(userId, totals, params);
  const key = existingId ? null : [params.add(randomUUID()), params.add(userId)];
  const values = {
    type: `${params.add(spec.type)}::transaction_type`,
    amount: `${params.add(spec.amount)}::numeric`,
    date: `${params.add(spec.date)}::date`,
    account_id: `${params.add(spec.accountId)}::uuid`,
    transfer_account_id: `${params.add(spec.transferAccountId)}::uuid`,
    category_id: `${params.add(spec.categoryId)}::uuid`,
    description: `${params.add(spec.description)}::text`,
    payee: `${params.add(spec.payee)}::text`,
    tags: params.array(spec.tags, 'text'),
  };
  // The bank's id names a row of one account's statement: a row moved elsewhere leaves it behind.
  const change = existingId
    ? `update transactions t set ${Object.entries(values)
        .map(([column, value]) => `${column} = ${value}`)
        .join(', ')},
         bank_id = case when t.account_id = ${params.add(spec.accountId)}::uuid then t.bank_id end,
         updated_at = now()
       where t.id = ${params.add(existingId)} and t.user_id = ${params.add(userId)}
       returning ${TRANSACTION_COLUMNS}`
    : `insert into transactions as t (id, user_id, ${Object.keys(values).join(', ')})
       values (${key!.join(', ')}, ${Object.values(values).join(', ')})
       returning ${TRANSACTION_COLUMNS}`;
  const sql = `with ${withLedger(moved, counted)} changed as (${change})
    select changed.*, ${movedColumn(moved)} from changed`;
  const [row] = await em.execute<(TransactionColumns & { moved?: Record<string, unknown>[] | null })[]>(
    sql,
    params.values,
  );
  const stored = toTransactionRow(row!);
  stored.affected = movedAccounts(row!.moved);
  const account = stored.affected.find((moved) => moved.id === stored.account.id);
  if (account) stored.joined = { account, category: undefined };
  return stored;
}

/** The `moved` column: the accounts the balance update (if any) returned, as a JSON array. */
const movedColumn = (moved: string | null): string =>
  `${moved ? '(select json_agg(moved) from moved)' : 'null'} as moved`;

/** The accounts a balance update returned (`moved`, columns prefixed `a.`), as AccountRows. */
const movedAccounts = (moved: Record<string, unknown>[] | null | undefined): AccountRow[] =>
  (moved ?? []).map((entry) => prefixedColumns(ACCOUNT_FIELDS, 'a.')(entry) as unknown as AccountRow);

/**
 * Deletes the caller's row `id`, moving the balances and totals back, in one statement. Returns
 * the accounts whose balances moved, as they are after.
 */
export async function removeTransaction(
  em: EntityManager,
  userId: string,
  id: string,
  effects: BalanceEffects,
  totals: TotalsDelta[],
): Promise<AccountRow[]> {
  const params = new SqlParams('question');
  const moved = balanceUpdate(effects, params, accountColumns('a.'));
  const ledger = withLedger(moved, totalsUpdate(userId, totals, params));
  const [row] = await em.execute<{ moved: Record<string, unknown>[] | null }[]>(
    `with ${ledger} gone as (delete from transactions where id = ${params.add(id)} and user_id = ${params.add(userId)} returning id)
     select count(*), ${movedColumn(moved)} from gone`,
    params.values,
  );
  return movedAccounts(row?.moved);
}

/** The ledger's data-modifying CTEs (balances `moved`, totals `counted`), each followed by a comma. */
const withLedger = (moved: string | null, counted: string | null): string =>
  `${moved ? `moved as (${moved}),` : ''} ${counted ? `counted as (${counted}),` : ''}`;

/** A new row of an import: its spec, the bank's id of it and the line it came from. */
export interface ImportedTransaction {
  spec: TransactionSpec;
  bankId: string | null;
}

/**
 * Inserts `rows` (new, of import `importId`) and moves the balances by `effects` and the totals by
 * `totals` (their sums, checked by the caller), in one statement: a batch of an import is one
 * round trip, however many rows it holds. The rows travel as one JSON parameter.
 */
export async function insertImported(
  em: EntityManager,
  userId: string,
  importId: string,
  rows: ImportedTransaction[],
  effects: BalanceEffects,
  totals: TotalsDelta[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const params = new SqlParams('question');
  const ledger = withLedger(balanceUpdate(effects, params), totalsUpdate(userId, totals, params));
  const json = JSON.stringify(
    rows.map(({ spec, bankId }) => ({
      id: randomUUID(),
      type: spec.type,
      amount: spec.amount,
      date: spec.date,
      account_id: spec.accountId,
      transfer_account_id: spec.transferAccountId,
      category_id: spec.categoryId,
      description: spec.description,
      payee: spec.payee,
      tags: spec.tags,
      bank_id: bankId,
    })),
  );
  const [row] = await em.execute<{ count: number }[]>(
    `with ${ledger} inserted as (
       insert into transactions (id, user_id, type, amount, date, account_id, transfer_account_id,
                                 category_id, description, payee, tags, bank_id, import_id)
       select r.id, ${params.add(userId)}::uuid, r.type::transaction_type, r.amount, r.date, r.account_id,
              r.transfer_account_id, r.category_id, r.description, r.payee, r.tags, r.bank_id,
              ${params.add(importId)}::uuid
       from json_to_recordset(${params.add(json)}::json) as r(id uuid, type text, amount numeric,
         date date, account_id uuid, transfer_account_id uuid, category_id uuid, description text,
         payee text, tags text[], bank_id text)
       returning 1)
     select count(*)::int as count from inserted`,
    params.values,
  );
  return row?.count ?? 0;
}

/**
 * Deletes the caller's rows `ids` (read and locked by the caller), moving the balances and totals
 * back by their sums, in one statement. Returns how many were deleted.
 */
export async function removeMany(
  em: EntityManager,
  userId: string,
  ids: string[],
  effects: BalanceEffects,
  totals: TotalsDelta[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const params = new SqlParams('question');
  const ledger = withLedger(balanceUpdate(effects, params), totalsUpdate(userId, totals, params));
  const [row] = await em.execute<{ count: number }[]>(
    `with ${ledger} gone as (delete from transactions
       where user_id = ${params.add(userId)} and id = any(${params.simpleArray(ids, 'uuid')}) returning 1)
     select count(*)::int as count from gone`,
    params.values,
  );
  return row?.count ?? 0;
}
