import { expect } from 'vitest';
import type { GraphQLClient } from './graphql.js';
import { stateOf, type TxState } from './model/ledger.js';

/**
 * Reading a user's whole ledger through the API, for checks against the ledger model
 * (tests/helpers/model/ledger.ts).
 */

/** What the balance checks select of a transaction. */
export const BALANCE_TX_FIELDS = 'id type amount account { id } transferAccount { id } category { id }';

// first travels as a variable: graphql-armor's cost limit multiplies by a literal `first` only,
// and refuses this selection with a literal first: 500 (cost 22187.5 > 5000).
const PAGE = `query ($first: Int!, $after: String) {
  transactions(first: $first, after: $after, sort: { field: CREATED_AT, direction: ASC }) {
    totalCount
    nodes { ${BALANCE_TX_FIELDS} }
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
