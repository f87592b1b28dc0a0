import { createBudget, createCategory } from '../budgets.js';
import type { GraphQLClient } from '../graphql.js';
import { createAccount, createTransaction } from '../ledger.js';
import { addDays, firstOfMonth, utcToday } from '../model/calendar.js';
import type { IdKind } from './values.js';

/**
 * Real data for a user, created through the API: what the fuzzer's ids point at. Budgets come
 * before the expenses so that the expenses fire alerts.
 */
export async function seedUser(client: GraphQLClient, tag: string): Promise<void> {
  const date = utcToday();
  const main = await createAccount(client, { name: `Main ${tag}`, type: 'CHECKING', openingBalance: '1000' });
  const savings = await createAccount(client, { name: `Savings ${tag}`, type: 'SAVINGS' });
  const euro = await createAccount(client, { name: `Euro ${tag}`, type: 'CASH', currency: 'EUR' });
  const pets = await createCategory(client, { name: `Pets ${tag}`, kind: 'EXPENSE' });
  const vet = await createCategory(client, { name: `Vet ${tag}`, kind: 'EXPENSE', parentId: pets });
  const bonus = await createCategory(client, { name: `Bonus ${tag}`, kind: 'INCOME' });

  const budgets: Record<string, unknown>[] = [
    {
      categoryId: pets,
      amount: '100',
      period: 'MONTHLY',
      startDate: firstOfMonth(utcToday()),
      alertThresholds: [50, 80],
    },
    { categoryId: vet, amount: '40', period: 'WEEKLY', startDate: date, rollover: true },
    // No category: counts every expense. Anchored on a leap day and on a 31st.
    { name: `Yearly ${tag}`, amount: '5000', period: 'YEARLY', startDate: '2024-02-29', rollover: true },
    { name: `All ${tag}`, amount: '300', period: 'MONTHLY', startDate: '2025-01-31', rollover: true },
  ];
  for (const input of budgets) await createBudget(client, input);

  const expense = { accountId: main.id, type: 'EXPENSE', date };
  await createTransaction(client, {
    accountId: main.id,
    type: 'INCOME',
    amount: '2500',
    date,
    categoryId: bonus,
  });
  await createTransaction(client, {
    ...expense,
    amount: '90',
    categoryId: vet,
    description: 'vet',
    tags: ['pets'],
  });
  await createTransaction(client, { ...expense, amount: '12.34', description: 'uncategorized' });
  await createTransaction(client, {
    accountId: main.id,
    type: 'TRANSFER',
    amount: '100',
    date,
    transferAccountId: savings.id,
  });
  await createTransaction(client, { accountId: euro.id, type: 'EXPENSE', amount: '5', date });
  // Rules, after the seeded transactions: the fuzzed writes go through them (and applyRules).
  const RULE = 'mutation ($input: CreateRuleInput!) { createRule(input: $input) { id } }';
  await client.data(RULE, {
    input: {
      name: `Vet ${tag}`,
      types: ['EXPENSE'],
      conditions: [{ operator: 'REGEX', value: '^(vet|clinic)\\b' }],
      setCategoryId: vet,
      addTags: ['pets', 'rule'],
    },
  });
  await client.data(RULE, {
    input: {
      name: `Rename ${tag}`,
      position: 0,
      conditions: [{ operator: 'CONTAINS', value: 'uncategorized' }],
      minAmount: '1',
      setDescription: 'Renamed by a rule',
      stopProcessing: true,
    },
  });
  // Recurring transactions: one materialized at once (it starts today), one not yet due.
  const RECURRING =
    'mutation ($input: CreateRecurringTransactionInput!) { createRecurringTransaction(input: $input) { id } }';
  await client.data(RECURRING, {
    input: {
      frequency: 'MONTHLY',
      startDate: date,
      dayOfMonth: 31,
      type: 'EXPENSE',
      amount: '20',
      accountId: main.id,
      categoryId: pets,
    },
  });
  await client.data(RECURRING, {
    input: {
      frequency: 'WEEKLY',
      interval: 2,
      startDate: addDays(date, 3),
      count: 5,
      type: 'TRANSFER',
      amount: '5',
      accountId: main.id,
      transferAccountId: savings.id,
    },
  });
  // Archived after the transfer: an archived account takes no new transactions.
  await client.data(`mutation ($id: ID!) { updateAccount(id: $id, input: { archived: true }) { id } }`, {
    id: savings.id,
  });
}

export interface Inventory {
  ids: Record<IdKind, string[]>;
  /** Cursors of the user's transactions in each sort order. */
  cursors: string[];
  activeAccounts: number;
}

// first travels as a variable: the cost limit counts a literal `first` only.
const INVENTORY = `query ($first: Int!) {
  me { id }
  accounts(includeArchived: true) { id archived }
  categories { id }
  budgets { id }
  rules { id }
  recurringTransactions { id }
  budgetAlerts(first: $first) { id }
  byDate: transactions(first: $first) { edges { cursor node { id } } }
  byAmount: transactions(first: 2, sort: { field: AMOUNT, direction: ASC }) { edges { cursor } }
  byCreation: transactions(first: 2, sort: { field: CREATED_AT, direction: DESC }) { edges { cursor } }
}`;

/** Everything the user owns, by kind (the newest 200 transactions and alerts). */
export async function inventory(client: GraphQLClient): Promise<Inventory> {
  const data = await client.data(INVENTORY, { first: 200 });
  const ids = (list: { id: string }[]) => list.map((item) => item.id);
  const edges = (connection: { edges: { cursor: string }[] }) => connection.edges.map((edge) => edge.cursor);
  return {
    ids: {
      user: [data.me.id],
      account: ids(data.accounts),
      category: ids(data.categories),
      transaction: data.byDate.edges.map((edge: { node: { id: string } }) => edge.node.id),
      budget: ids(data.budgets),
      alert: ids(data.budgetAlerts),
      rule: ids(data.rules),
      recurring: ids(data.recurringTransactions),
    },
    cursors: [...edges(data.byDate).slice(0, 3), ...edges(data.byAmount), ...edges(data.byCreation)],
    activeAccounts: data.accounts.filter((account: { archived: boolean }) => !account.archived).length,
  };
}
