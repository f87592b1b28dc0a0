import { cents, money } from './money.js';

/**
 * The ledger model the tests check balances against, independent of src/: every account's
 * balance is its openingBalance plus the effects of its live transactions, in BigInt cents.
 * INCOME +amount; EXPENSE -amount; TRANSFER -amount on account, +amount on transferAccount.
 */

export type TxType = 'INCOME' | 'EXPENSE' | 'TRANSFER';

/** A transaction as far as balances go. */
export interface LedgerTx {
  type: TxType;
  amount: bigint;
  accountId: string;
  transferAccountId: string | null;
}

/** A transaction as far as budgets go: what it spends, when, and in which category. */
export interface SpendingTx {
  type: TxType;
  amount: bigint;
  date: string;
  accountId: string;
  categoryId: string | null;
}

/** A transaction as the API answers it (TX_FIELDS), reduced to what the model needs. */
export interface TxState {
  type: TxType;
  /** As the server answers it: exactly two fraction digits. */
  amount: string;
  accountId: string;
  transferAccountId: string | null;
  categoryId: string | null;
}

export function stateOf(node: any): TxState {
  return {
    type: node.type,
    amount: node.amount,
    accountId: node.account.id,
    transferAccountId: node.transferAccount?.id ?? null,
    categoryId: node.category?.id ?? null,
  };
}

/** The balance of every account of `openings` after `transactions`. */
export function balancesOf(
  openings: Map<string, bigint>,
  transactions: Iterable<LedgerTx>,
): Map<string, bigint> {
  const result = new Map(openings);
  const add = (id: string, delta: bigint) => {
    if (!result.has(id)) throw new Error(`a transaction names an unknown account ${id}`);
    result.set(id, result.get(id)! + delta);
  };
  for (const tx of transactions) {
    if (tx.type === 'INCOME') add(tx.accountId, tx.amount);
    else add(tx.accountId, -tx.amount);
    if (tx.type === 'TRANSFER') add(tx.transferAccountId!, tx.amount);
  }
  return result;
}

/** balancesOf for transactions as the API lists them; a non-positive amount is a finding. */
export function expectedBalances(
  openings: Map<string, bigint>,
  transactions: Iterable<TxState>,
): Map<string, bigint> {
  return balancesOf(
    openings,
    [...transactions].map((tx) => {
      const amount = cents(tx.amount);
      if (amount <= 0n) throw new Error(`a transaction has a non-positive amount ${tx.amount}`);
      return { ...tx, amount };
    }),
  );
}

/** The accounts and live transactions a test wrote, and the balances they must have. */
export class BalanceModel {
  readonly opening = new Map<string, bigint>();
  readonly txs = new Map<string, LedgerTx>();

  account(id: string, openingBalance: string): void {
    this.opening.set(id, cents(openingBalance));
  }

  tx(id: string, tx: LedgerTx): void {
    this.txs.set(id, { ...tx });
  }

  /** Every account's expected balance as the API writes it, keyed by id. */
  expected(): Record<string, string> {
    const balances = balancesOf(this.opening, this.txs.values());
    return Object.fromEntries([...balances].map(([id, value]) => [id, money(value)]));
  }
}
