import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors/app-error.js';
import { SqlParams } from '../../db/sql-params.js';
import { fitsBalance, formatCents, toCents } from '../../money/money.js';

/**
 * The one module that changes Account.balance. Every change runs inside the database
 * transaction that changes the transaction row, as `balance = balance + delta` in SQL, after the
 * accounts involved were locked in id order (so concurrent transfers cannot deadlock).
 */

export type LedgerType = 'INCOME' | 'EXPENSE' | 'TRANSFER';

export interface LedgerEntry {
  type: LedgerType;
  /** Positive decimal string. */
  amount: string;
  accountId: string;
  /** Set for TRANSFER only. */
  transferAccountId: string | null;
}

/** Account id → change of balance in cents. */
export type BalanceEffects = Map<string, bigint>;

export interface LockedAccount {
  id: string;
  currency: string;
  archived: boolean;
  /** As read under the lock: current until this transaction ends. */
  balance: string;
}

/** INCOME +amount; EXPENSE -amount; TRANSFER -amount on account, +amount on transferAccount. */
export function effectsOf(entry: LedgerEntry): BalanceEffects {
  const cents = toCents(entry.amount);
  const effects: BalanceEffects = new Map();
  const add = (accountId: string, delta: bigint) =>
    effects.set(accountId, (effects.get(accountId) ?? 0n) + delta);
  if (entry.type === 'INCOME') add(entry.accountId, cents);
  else add(entry.accountId, -cents);
  if (entry.type === 'TRANSFER' && entry.transferAccountId) add(entry.transferAccountId, cents);
  return effects;
}

/** What turns the balances of `before` into those of `after` (either may be absent). */
export function effectsOfChange(before: LedgerEntry | null, after: LedgerEntry | null): BalanceEffects {
  const delta: BalanceEffects = new Map(after ? effectsOf(after) : []);
  for (const [accountId, cents] of before ? effectsOf(before) : []) {
    delta.set(accountId, (delta.get(accountId) ?? 0n) - cents);
  }
  return delta;
}

/** What adding (sign 1) or removing (sign -1) every entry does to the balances, summed. */
export function effectsOfMany(entries: LedgerEntry[], sign: 1 | -1): BalanceEffects {
  const total: BalanceEffects = new Map();
  for (const entry of entries) {
    for (const [accountId, cents] of effectsOf(entry)) {
      total.set(accountId, (total.get(accountId) ?? 0n) + BigInt(sign) * cents);
    }
  }
  return total;
}

/** The locked accounts' balances as they are once `effects` (checked) are applied: kept current across a batch. */
export function applyToLocked(locked: Map<string, LockedAccount>, effects: BalanceEffects): void {
  for (const [accountId, cents] of effects) {
    const account = locked.get(accountId);
    if (account) account.balance = formatCents(toCents(account.balance) + cents);
  }
}

export const accountsOf = (...entries: (LedgerEntry | null)[]): string[] => [
  ...new Set(
    entries.flatMap((e) => (e ? [e.accountId, e.transferAccountId].filter((id) => id !== null) : [])),
  ),
];

/** The one way accounts are locked: the caller's, by id, in id order (so transfers cannot deadlock). */
const LOCK_ACCOUNTS_SQL = `select id, currency, archived, balance::text as balance
  from accounts where user_id = ? and id in (?) order by id for update`;

/**
 * Locks the user's accounts among `accountIds` (row locks, in id order) for the rest of the
 * database transaction and returns them; ids of other users' accounts are simply absent.
 */
export async function lockAccounts(
  em: EntityManager,
  userId: string,
  accountIds: string[],
): Promise<Map<string, LockedAccount>> {
  if (accountIds.length === 0) return new Map();
  const rows = await em.execute<LockedAccount[]>(LOCK_ACCOUNTS_SQL, [userId, [...accountIds].sort()]);
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Refuses, before anything is written, effects that would take a balance of accounts locked in
 * this transaction out of the column's range.
 */
export function checkBalances(locked: Map<string, LockedAccount>, effects: BalanceEffects): void {
  for (const [accountId, cents] of effects) {
    const account = locked.get(accountId);
    if (!account) throw new Error(`Account ${accountId} was not locked before its balance changed`);
    if (!fitsBalance(toCents(account.balance) + cents)) {
      throw badInput('amount', 'This change would take an account balance out of the supported range');
    }
  }
}

/**
 * The UPDATE that applies checked effects to locked accounts, as one statement returning
 * `returning` of each moved account (table alias `a`), or null when no balance moves. A write
 * runs it as a data-modifying CTE of the statement that changes the transaction row, so the row
 * and the balances change together in one round trip.
 */
export function balanceUpdate(effects: BalanceEffects, params: SqlParams, returning = 'a.id'): string | null {
  const moves = [...effects].filter(([, cents]) => cents !== 0n).sort(([a], [b]) => a.localeCompare(b));
  if (moves.length === 0) return null;
  const values = moves.map(
    ([accountId, cents]) => `(${params.add(accountId)}::uuid, ${params.add(formatCents(cents))}::numeric)`,
  );
  return `update accounts a set balance = a.balance + d.delta, updated_at = now()
    from (values ${values.join(', ')}) as d(id, delta) where a.id = d.id returning ${returning}`;
}
