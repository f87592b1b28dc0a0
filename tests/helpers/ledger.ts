import type { GraphQLClient } from './graphql.js';
import { BALANCES, CATEGORIES, CREATE_ACCOUNT, CREATE_TRANSACTION } from './operations.js';

export async function createAccount(
  client: GraphQLClient,
  input: { name?: string; type?: string; currency?: string; openingBalance?: string } = {},
): Promise<{ id: string; balance: string; currency: string; openingBalance: string }> {
  const data = await client.data(CREATE_ACCOUNT, { input: { name: 'Checking', type: 'CHECKING', ...input } });
  return data.createAccount;
}

export async function createTransaction(
  client: GraphQLClient,
  input: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<any> {
  const data = await client.data(CREATE_TRANSACTION, {
    input: { date: '2026-01-15', ...input },
    key: idempotencyKey,
  });
  return data.createTransaction;
}

/** Every account's balance, archived ones included, by id. */
export async function balances(client: GraphQLClient): Promise<Record<string, string>> {
  const data = await client.data(BALANCES);
  return Object.fromEntries(data.accounts.map((a: { id: string; balance: string }) => [a.id, a.balance]));
}

/** The id of the caller's one category of that name (and kind, when given). */
export async function categoryId(client: GraphQLClient, name: string, kind?: string): Promise<string> {
  const data = await client.data(CATEGORIES, { kind });
  const found = data.categories.filter((c: { name: string }) => c.name === name);
  if (found.length !== 1) throw new Error(`${found.length} categories named ${name}`);
  return found[0].id;
}

/** The caller's categories, id by name. */
export async function categoriesByName(client: GraphQLClient): Promise<Record<string, string>> {
  const data = await client.data<{ categories: { id: string; name: string }[] }>(CATEGORIES);
  return Object.fromEntries(data.categories.map((c) => [c.name, c.id]));
}
