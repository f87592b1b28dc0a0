import type { GraphQLClient } from './graphql.js';

export const ACCOUNT_FIELDS = 'id name type currency openingBalance balance archived createdAt';
export const TRANSACTION_FIELDS = `id type amount date description tags createdAt updatedAt
  account { id } transferAccount { id } category { id }`;

export async function createAccount(
  client: GraphQLClient,
  input: { name?: string; type?: string; currency?: string; openingBalance?: string } = {},
): Promise<{ id: string; balance: string; currency: string }> {
  const data = await client.data(
    `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { ${ACCOUNT_FIELDS} } }`,
    { input: { name: 'Checking', type: 'CHECKING', ...input } },
  );
  return data.createAccount;
}

export async function createTransaction(
  client: GraphQLClient,
  input: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<any> {
  const data = await client.data(
    `mutation ($input: CreateTransactionInput!, $key: String) {
       createTransaction(input: $input, idempotencyKey: $key) { ${TRANSACTION_FIELDS} }
     }`,
    { input: { date: '2026-01-15', ...input }, key: idempotencyKey },
  );
  return data.createTransaction;
}

export async function balances(client: GraphQLClient): Promise<Record<string, string>> {
  const data = await client.data('{ accounts(includeArchived: true) { id balance } }');
  return Object.fromEntries(data.accounts.map((a: { id: string; balance: string }) => [a.id, a.balance]));
}

export async function categoryId(client: GraphQLClient, name: string): Promise<string> {
  const data = await client.data('{ categories { id name } }');
  const found = data.categories.find((c: { name: string }) => c.name === name);
  if (!found) throw new Error(`No category ${name}`);
  return found.id;
}
