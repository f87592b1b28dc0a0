import type { GraphQLClient } from './graphql.js';
import { categoryId } from './ledger.js';
import { BalanceModel, type TxType } from './model/ledger.js';
import { cents } from './model/money.js';
import { CREATE_ACCOUNT, createTransactionWith, TX_FIELDS, updateTransactionWith } from './operations.js';
import type { TestServer } from './server.js';
import { registerUser } from './users.js';

/**
 * Shared setup of the ledger-rule tests (tests/accounts, categories, scalars, transactions-*):
 * users, and writes that keep a BalanceModel in step so balances can be checked after each.
 */

/** The transaction mutation of the ledger-rule tests: no timestamps, so answers compare whole. */
export const CREATE_TX = createTransactionWith(TX_FIELDS);
export const UPDATE_TX = updateTransactionWith(TX_FIELDS);

/** A client of a newly registered user. */
export async function newClient(
  server: TestServer,
  input: { currency?: string } = {},
): Promise<GraphQLClient> {
  const user = await registerUser(server.client(), input);
  return server.client(user.accessToken);
}

/** createAccount, recording the account's opening balance in the model when one is given. */
export async function openAccount(
  client: GraphQLClient,
  model: BalanceModel | undefined,
  input: Record<string, unknown> = {},
): Promise<{ id: string; currency: string; openingBalance: string; balance: string }> {
  const data = await client.data(CREATE_ACCOUNT, { input: { name: 'Account', type: 'CHECKING', ...input } });
  model?.account(data.createAccount.id, data.createAccount.openingBalance);
  return data.createAccount;
}

/** createTransaction (dated 2026-01-15 unless given), recording it in the model when one is given. */
export async function createTx(
  client: GraphQLClient,
  model: BalanceModel | undefined,
  input: { accountId: string; type: TxType; amount: string } & Record<string, unknown>,
): Promise<any> {
  const data = await client.data(CREATE_TX, { input: { date: '2026-01-15', ...input } });
  const tx = data.createTransaction;
  model?.tx(tx.id, {
    type: input.type,
    amount: cents(input.amount),
    accountId: input.accountId,
    transferAccountId: (input.transferAccountId as string | undefined) ?? null,
  });
  return tx;
}

/** How many transactions the caller has. */
export async function txCount(client: GraphQLClient): Promise<number> {
  return (await client.data('{ transactions(first: 1) { totalCount } }')).transactions.totalCount;
}

/**
 * A new user with four accounts (Checking 100.50, Savings -20, Cash 0, a EUR account 5) and the
 * starter categories Groceries, Dining and Salary, all in a fresh model.
 */
export async function ledgerSetup(server: TestServer) {
  const client = await newClient(server);
  const model = new BalanceModel();
  const checking = await openAccount(client, model, { name: 'Checking', openingBalance: '100.5' });
  const savings = await openAccount(client, model, {
    name: 'Savings',
    type: 'SAVINGS',
    openingBalance: '-20',
  });
  const cash = await openAccount(client, model, { name: 'Cash', type: 'CASH' });
  const euro = await openAccount(client, model, { name: 'Euro', currency: 'EUR', openingBalance: '5' });
  const groceries = await categoryId(client, 'Groceries');
  const dining = await categoryId(client, 'Dining');
  const salary = await categoryId(client, 'Salary');
  return { client, model, checking, savings, cash, euro, groceries, dining, salary };
}
