import { expect } from 'vitest';
import type { GraphQLClient } from '../graphql.js';
import { createAccount, createTransaction } from '../ledger.js';
import type { PeriodKind } from '../model/budget.js';
import { addDays, addMonths, firstOfMonth, utcToday } from '../model/calendar.js';
import type { TxType } from '../model/ledger.js';
import { cents } from '../model/money.js';
import {
  CREATE_BUDGET,
  CREATE_CATEGORY,
  DELETE_CATEGORY,
  DELETE_TRANSACTION,
  UPDATE_ACCOUNT,
  UPDATE_TRANSACTION,
} from '../operations.js';
import { startTestServer, type TestServer } from '../server.js';
import { registerUser } from '../users.js';
import { accounts, budgets, categories, txs, type Kind, type Owner } from './model.js';

/*
 * The seed of tests/reports.test.ts: two users with accounts in USD and EUR (one archived),
 * nested categories, income, expenses, transfers and uncategorized transactions on month edges,
 * a leap day and around an empty month, all written through the API and recorded in the model
 * (./model.ts). Each test file that imports this module gets a seed of its own.
 */

export let server: TestServer;
export const clients = {} as Record<Owner, GraphQLClient>;

/** Names → ids, per owner, for the seed. */
export const acc = { A: {} as Record<string, string>, B: {} as Record<string, string> };
export const cat = { A: {} as Record<string, string>, B: {} as Record<string, string> };

/** Dates around the real today, fixed when seeding. */
export let seedToday = '';

async function addAccount(
  owner: Owner,
  key: string,
  input: { currency?: string; openingBalance: string; type: string },
): Promise<void> {
  const created = await createAccount(clients[owner], { name: key, ...input });
  accounts.set(created.id, {
    id: created.id,
    owner,
    currency: created.currency,
    opening: cents(input.openingBalance),
    archived: false,
  });
  acc[owner][key] = created.id;
}

async function addCategory(owner: Owner, name: string, kind: Kind, parent?: string): Promise<void> {
  const parentId = parent ? cat[owner][parent]! : null;
  const data = await clients[owner].data(CREATE_CATEGORY, { input: { name, kind, parentId } });
  const c = data.createCategory;
  expect(c.parent?.id ?? null).toBe(parentId);
  categories.set(c.id, { id: c.id, owner, name, kind, parentId });
  cat[owner][name] = c.id;
}

async function loadStarterCategories(owner: Owner): Promise<void> {
  const data = await clients[owner].data('{ categories { id name kind parent { id } } }');
  for (const c of data.categories) {
    categories.set(c.id, { id: c.id, owner, name: c.name, kind: c.kind, parentId: c.parent?.id ?? null });
    cat[owner][c.name] = c.id;
  }
}

interface TxSpec {
  type: TxType;
  amount: string;
  date: string;
  account: string;
  to?: string;
  category?: string;
}

async function addTx(owner: Owner, spec: TxSpec): Promise<string> {
  const accountId = acc[owner][spec.account]!;
  const transferAccountId = spec.to ? acc[owner][spec.to]! : null;
  const categoryId = spec.category ? cat[owner][spec.category]! : null;
  expect(accountId, spec.account).toBeDefined();
  const node = await createTransaction(clients[owner], {
    type: spec.type,
    amount: spec.amount,
    date: spec.date,
    accountId,
    ...(transferAccountId ? { transferAccountId } : {}),
    ...(categoryId ? { categoryId } : {}),
  });
  txs.set(node.id, {
    id: node.id,
    owner,
    type: spec.type,
    amount: cents(spec.amount),
    date: spec.date,
    accountId,
    transferAccountId,
    categoryId,
    createdAt: node.createdAt,
  });
  return node.id;
}

async function addBudget(
  owner: Owner,
  input: { category?: string; amount: string; period: PeriodKind; startDate: string; rollover?: boolean },
): Promise<void> {
  const categoryId = input.category ? cat[owner][input.category]! : null;
  const data = await clients[owner].data(CREATE_BUDGET, {
    input: {
      categoryId,
      amount: input.amount,
      period: input.period,
      startDate: input.startDate,
      rollover: input.rollover ?? false,
    },
  });
  budgets.set(data.createBudget.id, {
    id: data.createBudget.id,
    owner,
    categoryId,
    amount: cents(input.amount),
    period: input.period,
    startDate: input.startDate,
    rollover: input.rollover ?? false,
  });
}

export async function seedReports(): Promise<void> {
  server = await startTestServer();
  const anonymous = server.client();
  const a = await registerUser(anonymous, { name: 'Ann' });
  const b = await registerUser(anonymous, { name: 'Bob', currency: 'eur' });
  clients.A = server.client(a.accessToken);
  clients.B = server.client(b.accessToken);
  const me = await clients.B.data('{ me { currency } }');
  expect(me.me.currency).toBe('EUR');

  seedToday = utcToday();
  const monthStart = firstOfMonth(seedToday);
  const prevMonthLast = addDays(monthStart, -1);
  const nextMonthFirst = addMonths(monthStart, 1);

  // --- Ann: USD by default, accounts in USD and EUR, nested categories.
  await loadStarterCategories('A');
  await addCategory('A', 'Food', 'EXPENSE');
  await addCategory('A', 'Restaurants', 'EXPENSE', 'Food');
  await addCategory('A', 'Coffee', 'EXPENSE', 'Restaurants');
  await addCategory('A', 'Work', 'INCOME');
  await addCategory('A', 'Bonus', 'INCOME', 'Work');
  await addCategory('A', 'Temp', 'EXPENSE');
  await addAccount('A', 'chk', { type: 'CHECKING', openingBalance: '1000' });
  await addAccount('A', 'sav', { type: 'SAVINGS', openingBalance: '250.5' });
  await addAccount('A', 'cash', { type: 'CASH', openingBalance: '40' });
  await addAccount('A', 'card', { type: 'CREDIT_CARD', openingBalance: '-120.25' });
  await addAccount('A', 'eurChk', { type: 'CHECKING', currency: 'EUR', openingBalance: '500' });
  await addAccount('A', 'eurSav', { type: 'SAVINGS', currency: 'EUR', openingBalance: '0' });

  const A: TxSpec[] = [
    { type: 'EXPENSE', amount: '11.11', date: '2023-12-15', account: 'chk', category: 'Groceries' },
    { type: 'INCOME', amount: '500', date: '2023-12-31', account: 'chk', category: 'Salary' },
    { type: 'EXPENSE', amount: '1200', date: '2024-01-01', account: 'chk', category: 'Housing' },
    { type: 'EXPENSE', amount: '45.67', date: '2024-01-01', account: 'chk', category: 'Food' },
    { type: 'EXPENSE', amount: '8.5', date: '2024-01-15', account: 'cash', category: 'Coffee' },
    { type: 'EXPENSE', amount: '3.33', date: '2024-01-29', account: 'chk', category: 'Coffee' },
    { type: 'INCOME', amount: '2500.00', date: '2024-01-30', account: 'chk', category: 'Salary' },
    { type: 'EXPENSE', amount: '60', date: '2024-01-31', account: 'chk', category: 'Restaurants' },
    { type: 'TRANSFER', amount: '300', date: '2024-01-31', account: 'chk', to: 'sav' },
    { type: 'EXPENSE', amount: '100', date: '2024-02-01', account: 'chk' },
    { type: 'INCOME', amount: '250', date: '2024-02-01', account: 'sav', category: 'Bonus' },
    { type: 'EXPENSE', amount: '50', date: '2024-02-01', account: 'card', category: 'Food' },
    { type: 'EXPENSE', amount: '75.25', date: '2024-02-10', account: 'chk', category: 'Groceries' },
    { type: 'EXPENSE', amount: '30.1', date: '2024-02-14', account: 'card', category: 'Restaurants' },
    { type: 'EXPENSE', amount: '4.90', date: '2024-02-14', account: 'cash', category: 'Coffee' },
    { type: 'EXPENSE', amount: '19.99', date: '2024-02-15', account: 'chk', category: 'Temp' },
    { type: 'INCOME', amount: '12.34', date: '2024-02-20', account: 'chk', category: 'Work' },
    { type: 'INCOME', amount: '0.01', date: '2024-02-20', account: 'sav', category: 'Other income' },
    { type: 'EXPENSE', amount: '29.29', date: '2024-02-29', account: 'chk', category: 'Restaurants' },
    { type: 'EXPENSE', amount: '0.71', date: '2024-02-29', account: 'cash' },
    { type: 'TRANSFER', amount: '40', date: '2024-02-29', account: 'sav', to: 'cash' },
    { type: 'INCOME', amount: '2500', date: '2024-02-29', account: 'chk', category: 'Salary' },
    // Ties Groceries' February total.
    { type: 'EXPENSE', amount: '75.25', date: '2024-02-29', account: 'chk', category: 'Dining' },
    // March 2024: nothing for Ann.
    { type: 'EXPENSE', amount: '15', date: '2024-04-01', account: 'chk', category: 'Coffee' },
    { type: 'TRANSFER', amount: '100', date: '2024-04-01', account: 'sav', to: 'chk' },
    { type: 'INCOME', amount: '2500', date: '2024-04-30', account: 'chk', category: 'Salary' },
    { type: 'EXPENSE', amount: '999.99', date: '2024-04-30', account: 'card', category: 'Housing' },
    { type: 'EXPENSE', amount: '7.77', date: '2024-05-02', account: 'chk', category: 'Groceries' },
    // EUR.
    { type: 'INCOME', amount: '1000', date: '2024-01-31', account: 'eurChk', category: 'Salary' },
    { type: 'EXPENSE', amount: '200', date: '2024-02-01', account: 'eurChk', category: 'Housing' },
    { type: 'EXPENSE', amount: '33', date: '2024-02-10', account: 'eurSav' },
    { type: 'EXPENSE', amount: '12.5', date: '2024-02-29', account: 'eurChk', category: 'Coffee' },
    { type: 'TRANSFER', amount: '150', date: '2024-02-29', account: 'eurChk', to: 'eurSav' },
    // Around today.
    { type: 'EXPENSE', amount: '88.88', date: prevMonthLast, account: 'chk', category: 'Dining' },
    { type: 'INCOME', amount: '3000', date: monthStart, account: 'chk', category: 'Salary' },
    { type: 'INCOME', amount: '20', date: monthStart, account: 'eurSav', category: 'Other income' },
    { type: 'EXPENSE', amount: '42.42', date: seedToday, account: 'chk', category: 'Groceries' },
    { type: 'TRANSFER', amount: '10', date: seedToday, account: 'chk', to: 'sav' },
    { type: 'EXPENSE', amount: '5.55', date: seedToday, account: 'card', category: 'Coffee' },
    { type: 'EXPENSE', amount: '9.99', date: seedToday, account: 'eurChk', category: 'Dining' },
    { type: 'EXPENSE', amount: '2.22', date: seedToday, account: 'cash' },
    { type: 'EXPENSE', amount: '77', date: nextMonthFirst, account: 'chk', category: 'Coffee' },
  ];
  for (const spec of A) await addTx('A', spec);

  // Deleted, updated and retyped transactions: the reports see the final state only.
  const deleted = await addTx('A', {
    type: 'EXPENSE',
    amount: '500',
    date: '2024-02-05',
    account: 'chk',
    category: 'Groceries',
  });
  await clients.A.data(DELETE_TRANSACTION, { id: deleted });
  txs.delete(deleted);

  const updated = await addTx('A', {
    type: 'EXPENSE',
    amount: '1',
    date: '2024-02-06',
    account: 'chk',
    category: 'Groceries',
  });
  await clients.A.data(UPDATE_TRANSACTION, {
    id: updated,
    input: { amount: '66.6', categoryId: cat.A.Food, date: '2024-02-07' },
  });
  Object.assign(txs.get(updated)!, { amount: 6660n, categoryId: cat.A.Food, date: '2024-02-07' });

  const retyped = await addTx('A', { type: 'EXPENSE', amount: '10', date: '2024-02-08', account: 'chk' });
  await clients.A.data(UPDATE_TRANSACTION, {
    id: retyped,
    input: { type: 'TRANSFER', transferAccountId: acc.A.sav },
  });
  Object.assign(txs.get(retyped)!, { type: 'TRANSFER', transferAccountId: acc.A.sav });

  // A deleted category leaves its transactions uncategorized.
  await clients.A.data(DELETE_CATEGORY, { id: cat.A.Temp });
  for (const tx of txs.values()) if (tx.categoryId === cat.A.Temp) tx.categoryId = null;
  categories.delete(cat.A.Temp!);

  // Archived after its transactions (an archived account takes no new ones).
  await clients.A.data(UPDATE_ACCOUNT, { id: acc.A.cash, input: { archived: true } });
  accounts.get(acc.A.cash!)!.archived = true;

  await addBudget('A', { category: 'Food', amount: '100', period: 'MONTHLY', startDate: '2023-01-01' });
  await addBudget('A', { amount: '5000', period: 'MONTHLY', startDate: '2023-01-01' });
  await addBudget('A', { category: 'Groceries', amount: '1000', period: 'YEARLY', startDate: '2023-03-15' });
  await addBudget('A', { category: 'Restaurants', amount: '50', period: 'WEEKLY', startDate: '2024-01-03' });
  await addBudget('A', {
    category: 'Housing',
    amount: '1000',
    period: 'MONTHLY',
    startDate: '2023-06-01',
    rollover: true,
  });

  // --- Bob: EUR by default; his data lands on Ann's dates, in both currencies.
  await loadStarterCategories('B');
  await addCategory('B', 'Food', 'EXPENSE');
  await addAccount('B', 'eur', { type: 'CHECKING', openingBalance: '10000' });
  await addAccount('B', 'usd', { type: 'CHECKING', currency: 'USD', openingBalance: '777.77' });
  const B: TxSpec[] = [
    { type: 'EXPENSE', amount: '10', date: '2024-01-31', account: 'eur', category: 'Groceries' },
    { type: 'EXPENSE', amount: '5555.55', date: '2024-02-01', account: 'usd', category: 'Groceries' },
    { type: 'INCOME', amount: '4444.44', date: '2024-02-29', account: 'usd', category: 'Salary' },
    { type: 'EXPENSE', amount: '66', date: '2024-02-29', account: 'eur' },
    { type: 'EXPENSE', amount: '3.5', date: '2024-02-29', account: 'eur', category: 'Food' },
    { type: 'INCOME', amount: '321', date: '2024-03-01', account: 'eur', category: 'Salary' },
    { type: 'EXPENSE', amount: '123.45', date: '2024-03-15', account: 'usd', category: 'Housing' },
    { type: 'EXPENSE', amount: '250', date: monthStart, account: 'eur', category: 'Housing' },
    { type: 'INCOME', amount: '999', date: seedToday, account: 'usd', category: 'Salary' },
    { type: 'EXPENSE', amount: '1', date: seedToday, account: 'eur', category: 'Dining' },
    { type: 'INCOME', amount: '5', date: nextMonthFirst, account: 'eur', category: 'Other income' },
  ];
  for (const spec of B) await addTx('B', spec);
  await addBudget('B', { amount: '100', period: 'MONTHLY', startDate: '2024-01-01' });
  await addBudget('B', { category: 'Food', amount: '3', period: 'MONTHLY', startDate: '2024-01-01' });
}
