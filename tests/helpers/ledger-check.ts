import { expect } from 'vitest';
import type { GraphQLClient } from './graphql.js';

/**
 * The test's own ledger arithmetic, independent of src/money: amounts as BigInt cents, balances
 * recomputed from the transactions the API lists. Used to check the server, so it must not
 * share the server's code.
 */

export type TxType = 'INCOME' | 'EXPENSE' | 'TRANSFER';

export interface TxState {
  type: TxType;
  /** As the server answers it: exactly two fraction digits. */
  amount: string;
  accountId: string;
  transferAccountId: string | null;
  categoryId: string | null;
}

export const TX_FIELDS = 'id type amount account { id } transferAccount { id } category { id }';

/** Cents of "-12.30", "12.3" or "12". Throws on anything else (more decimals, floats, spaces). */
export function cents(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new Error(`not a decimal amount with up to 2 fraction digits: ${value}`);
  const result = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -result : result;
}

/** Always two fraction digits, as the contract says the server answers: -350n → "-3.50". */
export function money(value: bigint): string {
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Another valid Decimal input for the same value: "12.30" may go as "12.3", "12.00" as "12". */
export function moneyInput(value: bigint, style: number): string {
  const canonical = money(value);
  if (style % 3 === 1 && value % 100n === 0n) return canonical.slice(0, -3);
  if (style % 3 === 2 && value % 10n === 0n) return canonical.slice(0, -1);
  return canonical;
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

/** INCOME +amount; EXPENSE -amount; TRANSFER -amount on account, +amount on transferAccount. */
export function expectedBalances(
  openings: Map<string, bigint>,
  transactions: Iterable<TxState>,
): Map<string, bigint> {
  const result = new Map(openings);
  const add = (id: string, delta: bigint) => {
    if (!result.has(id)) throw new Error(`a transaction names an unknown account ${id}`);
    result.set(id, result.get(id)! + delta);
  };
  for (const tx of transactions) {
    const amount = cents(tx.amount);
    if (amount <= 0n) throw new Error(`a transaction has a non-positive amount ${tx.amount}`);
    if (tx.type === 'INCOME') add(tx.accountId, amount);
    else add(tx.accountId, -amount);
    if (tx.type === 'TRANSFER') add(tx.transferAccountId!, amount);
  }
  return result;
}

// first travels as a variable: graphql-armor's cost limit multiplies by a literal `first` only,
// and refuses this selection with a literal first: 500 (cost 22187.5 > 5000).
const PAGE = `query ($first: Int!, $after: String) {
  transactions(first: $first, after: $after, sort: { field: CREATED_AT, direction: ASC }) {
    totalCount
    nodes { ${TX_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every transaction of the caller, walking the cursor pagination 500 at a time. */
export async function listAllTransactions(client: GraphQLClient): Promise<Map<string, TxState>> {
  const all = new Map<string, TxState>();
  let after: string | null = null;
  let totalCount = -1;
  for (let page = 0; ; page++) {
    if (page > 1000) throw new Error('pagination does not end');
    const data: any = await client.data(PAGE, { first: 500, after });
    totalCount = data.transactions.totalCount;
    for (const node of data.transactions.nodes) {
      expect(all.has(node.id), `transaction ${node.id} listed twice`).toBe(false);
      all.set(node.id, stateOf(node));
    }
    if (!data.transactions.pageInfo.hasNextPage) break;
    after = data.transactions.pageInfo.endCursor;
  }
  expect(all.size, 'transactions listed vs totalCount').toBe(totalCount);
  return all;
}

export interface AccountState {
  openingBalance: string;
  balance: string;
  archived: boolean;
}

/** Every account of the caller, archived ones included. */
export async function accountStates(client: GraphQLClient): Promise<Map<string, AccountState>> {
  const data = await client.data(
    '{ accounts(includeArchived: true) { id openingBalance balance archived } }',
  );
  return new Map(
    data.accounts.map((a: AccountState & { id: string }) => [
      a.id,
      { openingBalance: a.openingBalance, balance: a.balance, archived: a.archived },
    ]),
  );
}
