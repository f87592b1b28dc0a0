import { expect } from 'vitest';
import { INTERNAL_SERVER_ERROR } from './error-codes.js';
import type { GraphQLClient, GraphQLResponse } from './graphql.js';
import { ACCOUNT_FIELDS, CATEGORY_FIELDS, TRANSACTION_FIELDS } from './operations.js';

/**
 * Refused writes: a refusal carries the contract's code (and field), is never an internal error,
 * and leaves every account, category and transaction of the user exactly as it was.
 */

/** A well-formed UUID that names nothing. */
export const UNKNOWN_ID = '6f1c2a52-8d7e-4c1b-9a43-2f0e5b7d9c11';
/** A string far over every length limit. */
export const LONG = 'x'.repeat(10_000);

/** A user's accounts, categories and transactions, every field of each. */
export interface Snapshot {
  accounts: { id: string }[];
  categories: { id: string }[];
  transactions: { totalCount: number; nodes: { id: string }[] };
}

/**
 * Everything of the user that a write could change, in a stable order. Three queries, and
 * first: 100, to stay under the query cost limit (which multiplies by first); snapshot() checks
 * that the user has no more.
 */
export async function snapshot(client: GraphQLClient): Promise<Snapshot> {
  const [accounts, categories, transactions] = await Promise.all([
    client.data(`{ accounts(includeArchived: true) { ${ACCOUNT_FIELDS} } }`),
    client.data(`{ categories { ${CATEGORY_FIELDS} } }`),
    client.data(`{ transactions(first: 100, sort: { field: CREATED_AT, direction: ASC }) {
       totalCount nodes { ${TRANSACTION_FIELDS} } } }`),
  ]);
  expect(transactions.transactions.totalCount).toBeLessThanOrEqual(100);
  return {
    accounts: accounts.accounts,
    categories: categories.categories,
    transactions: transactions.transactions,
  };
}

/** Long strings shortened, for assertion messages and test names. */
export function abbreviate(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'string' && v.length > 60 ? `${v.slice(0, 20)}…(${v.length} chars)` : v,
    ),
  );
}

/** A value as a short, readable label for an it.each row. */
export const label = (value: unknown): string => JSON.stringify(abbreviate(value)) ?? String(value);

/**
 * Sends a request that must be refused with `code` (and `field` when given, or no field when
 * `field` is null), never with an internal error, and that must leave the user's data unchanged.
 */
export async function refused(
  client: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
  code: string | readonly string[],
  field?: string | null,
): Promise<GraphQLResponse> {
  const before = await snapshot(client);
  const result = await client.request(query, variables);
  const described = JSON.stringify({
    variables: abbreviate(variables),
    errors: result.errors,
    data: result.data,
  });
  // Soft, so that a wrong code still goes on to check that nothing was written.
  expect.soft(JSON.stringify(result), described).not.toContain(INTERNAL_SERVER_ERROR);
  expect.soft(result.errors ?? [], described).not.toHaveLength(0);
  expect.soft([code].flat(), described).toContain(result.errors?.[0]?.extensions?.code);
  if (field !== undefined)
    expect.soft(result.errors?.[0]?.extensions?.field, described).toBe(field ?? undefined);
  if (result.data)
    expect
      .soft(
        Object.values(result.data).every((value) => value === null),
        described,
      )
      .toBe(true);
  expect(await snapshot(client), `data changed after refused ${described}`).toEqual(before);
  return result;
}
