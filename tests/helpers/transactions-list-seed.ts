import { expect } from 'vitest';
import type { GraphQLClient } from './graphql.js';
import { categoriesByName, createAccount } from './ledger.js';
import type { TxType } from './model/ledger.js';
import { cents, compareCents, money } from './model/money.js';
import {
  CREATE_TRANSACTION,
  DELETE_TRANSACTION,
  TRANSACTION_FIELDS,
  UPDATE_TRANSACTION,
} from './operations.js';
import { startTestServer, type TestServer } from './server.js';
import { registerUser } from './users.js';

/*
 * The seed and model of tests/transactions-list.test.ts: 60 transactions of one user with many
 * ties on date and amount, a changed one, a deleted one whose cursors were kept, and two other
 * users. Expected pages are computed here, independently of the server, from that seed.
 */

export type SortField = 'DATE' | 'AMOUNT' | 'CREATED_AT';
export type Direction = 'ASC' | 'DESC';
export interface Sort {
  field: SortField;
  direction: Direction;
}

/** A transaction exactly as the API returns it with TRANSACTION_FIELDS. */
export interface Row {
  id: string;
  type: TxType;
  amount: string;
  date: string;
  description: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  account: { id: string };
  transferAccount: { id: string } | null;
  category: { id: string } | null;
}

export interface Filter {
  from?: string;
  to?: string;
  accountIds?: string[];
  categoryIds?: string[];
  types?: TxType[];
  minAmount?: string;
  maxAmount?: string;
  search?: string;
  tags?: string[];
}

export interface Connection {
  totalCount: number;
  nodes: Row[];
  edges: { cursor: string; node: Row }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

interface SeedInput {
  accountId: string;
  type: TxType;
  amount: string;
  date: string;
  categoryId?: string | null;
  transferAccountId?: string | null;
  description?: string | null;
  tags?: string[];
}

export const LIST = /* GraphQL */ `
  query List($filter: TransactionFilter, $sort: TransactionSort, $first: Int, $after: String, $offset: Int) {
    transactions(filter: $filter, sort: $sort, first: $first, after: $after, offset: $offset) {
      totalCount
      nodes { ${TRANSACTION_FIELDS} }
      edges { cursor node { ${TRANSACTION_FIELDS} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

export const SORTS: Sort[] = (['DATE', 'AMOUNT', 'CREATED_AT'] as const).flatMap((field) =>
  (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
);

// ---------------------------------------------------------------------------------------------
// Independent model: money as BigInt cents, dates and timestamps as strings, ids as strings.
// ---------------------------------------------------------------------------------------------

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortKeyCompare(field: SortField, a: Row, b: Row): number {
  switch (field) {
    case 'DATE':
      return compareStrings(a.date, b.date);
    case 'AMOUNT':
      return compareCents(cents(a.amount), cents(b.amount));
    case 'CREATED_AT':
      return compareStrings(a.createdAt, b.createdAt);
  }
}

/** Sort field, then id, both in the given direction. */
export function compareRows(sort: Sort, a: Row, b: Row): number {
  const order = sortKeyCompare(sort.field, a, b) || compareStrings(a.id, b.id);
  return sort.direction === 'ASC' ? order : -order;
}

export const sorted = (rows: Row[], sort: Sort): Row[] => [...rows].sort((a, b) => compareRows(sort, a, b));

export function matches(row: Row, filter: Filter): boolean {
  if (filter.from !== undefined && row.date < filter.from) return false;
  if (filter.to !== undefined && row.date > filter.to) return false;
  if (filter.accountIds !== undefined) {
    const sides = [row.account.id, row.transferAccount?.id];
    if (!filter.accountIds.some((id) => sides.includes(id))) return false;
  }
  if (filter.categoryIds !== undefined && !filter.categoryIds.includes(row.category?.id ?? '')) return false;
  if (filter.types !== undefined && !filter.types.includes(row.type)) return false;
  if (filter.minAmount !== undefined && cents(row.amount) < cents(filter.minAmount)) return false;
  if (filter.maxAmount !== undefined && cents(row.amount) > cents(filter.maxAmount)) return false;
  if (filter.search !== undefined) {
    if (row.description === null) return false;
    if (!row.description.toLowerCase().includes(filter.search.toLowerCase())) return false;
  }
  if (filter.tags !== undefined && !filter.tags.every((tag) => row.tags.includes(tag))) return false;
  return true;
}

/** What the server should store for an input: trimmed description (empty: null), tags trimmed and deduplicated. */
function expectedRow(input: SeedInput, server: { id: string; createdAt: string; updatedAt: string }): Row {
  const description = input.description?.trim() || null;
  const tags: string[] = [];
  for (const tag of input.tags ?? []) {
    const trimmed = tag.trim();
    if (trimmed && !tags.includes(trimmed)) tags.push(trimmed);
  }
  return {
    id: server.id,
    type: input.type,
    amount: money(cents(input.amount)),
    date: input.date,
    description,
    tags,
    createdAt: server.createdAt,
    updatedAt: server.updatedAt,
    account: { id: input.accountId },
    transferAccount: input.transferAccountId ? { id: input.transferAccountId } : null,
    category: input.categoryId ? { id: input.categoryId } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// API helpers
// ---------------------------------------------------------------------------------------------

export async function list(
  client: GraphQLClient,
  variables: { filter?: Filter; sort?: Sort; first?: number; after?: string; offset?: number },
): Promise<Connection> {
  const data = await client.data<{ transactions: Connection }>(LIST, variables);
  return data.transactions;
}

/** Internal consistency of one page: edges mirror nodes, cursors present, start/end cursors. */
export function checkPageShape(connection: Connection): void {
  expect(connection.edges).toHaveLength(connection.nodes.length);
  connection.edges.forEach((edge, i) => {
    expect(edge.node).toEqual(connection.nodes[i]);
    expect(typeof edge.cursor).toBe('string');
    expect(edge.cursor.length).toBeGreaterThan(0);
  });
  expect(new Set(connection.edges.map((edge) => edge.cursor)).size).toBe(connection.edges.length);
  expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
  expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
}

export const ids = (rows: Row[]): string[] => rows.map((row) => row.id);

/** Walks with first/after until hasNextPage is false; every page must be the expected slice. */
export async function walkWithCursors(
  client: GraphQLClient,
  sort: Sort,
  filter: Filter | undefined,
  pageSize: number,
  expected: Row[],
): Promise<void> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let page = 0; ; page++) {
    if (page > expected.length + 1) throw new Error('the cursor walk does not end');
    const connection = await list(client, { filter, sort, first: pageSize, after });
    const context = `${sort.field} ${sort.direction} page ${page} after ${after}`;
    checkPageShape(connection);
    expect(ids(connection.nodes), context).toEqual(
      ids(expected.slice(page * pageSize, (page + 1) * pageSize)),
    );
    expect(connection.nodes, context).toEqual(expected.slice(page * pageSize, (page + 1) * pageSize));
    expect(connection.totalCount, context).toBe(expected.length);
    expect(connection.pageInfo.hasPreviousPage, context).toBe(page > 0);
    expect(connection.pageInfo.hasNextPage, context).toBe((page + 1) * pageSize < expected.length);
    seen.push(...ids(connection.nodes));

    // Any edge's cursor (not only endCursor) resumes right after that edge.
    if (connection.edges.length >= 2) {
      const middle = Math.floor(connection.edges.length / 2) - 1;
      const resumed = await list(client, {
        filter,
        sort,
        first: 3,
        after: connection.edges[middle]!.cursor,
      });
      const position = page * pageSize + middle;
      expect(ids(resumed.nodes), `${context} resumed at edge ${middle}`).toEqual(
        ids(expected.slice(position + 1, position + 4)),
      );
      expect(resumed.pageInfo.hasPreviousPage).toBe(true);
      expect(resumed.pageInfo.hasNextPage).toBe(position + 4 < expected.length);
    }

    if (!connection.pageInfo.hasNextPage) break;
    expect(connection.pageInfo.endCursor).not.toBeNull();
    after = connection.pageInfo.endCursor!;
  }
  expect(seen).toHaveLength(new Set(seen).size);
  expect(seen).toEqual(ids(expected));
}

/** Walks with first/offset 0, n, 2n, ... and one offset past the end. */
export async function walkWithOffsets(
  client: GraphQLClient,
  sort: Sort,
  filter: Filter | undefined,
  pageSize: number,
  expected: Row[],
): Promise<void> {
  const seen: string[] = [];
  for (let offset = 0; offset < expected.length || offset === 0; offset += pageSize) {
    const connection = await list(client, { filter, sort, first: pageSize, offset });
    const context = `${sort.field} ${sort.direction} offset ${offset}`;
    checkPageShape(connection);
    expect(connection.nodes, context).toEqual(expected.slice(offset, offset + pageSize));
    expect(connection.totalCount, context).toBe(expected.length);
    expect(connection.pageInfo.hasPreviousPage, context).toBe(offset > 0);
    expect(connection.pageInfo.hasNextPage, context).toBe(offset + pageSize < expected.length);
    seen.push(...ids(connection.nodes));
  }
  expect(seen).toHaveLength(new Set(seen).size);
  expect(seen).toEqual(ids(expected));

  if (expected.length > 0) {
    const past = await list(client, { filter, sort, first: pageSize, offset: expected.length });
    checkPageShape(past);
    expect(past.nodes).toEqual([]);
    expect(past.totalCount).toBe(expected.length);
    expect(past.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: null,
      endCursor: null,
    });
  }
}

export async function expectError(
  client: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<void> {
  const result = await client.request<{ transactions: Connection | null }>(query, variables);
  const context = JSON.stringify({ variables, result });
  expect(result.errors, context).toHaveLength(1);
  expect(result.errors![0]!.extensions?.code, context).toBe(code);
  if (field !== undefined) expect(result.errors![0]!.extensions?.field, context).toBe(field);
  expect(result.data?.transactions ?? null, context).toBeNull();
}

// ---------------------------------------------------------------------------------------------
// Seed
// ---------------------------------------------------------------------------------------------

const DATES = [
  '2025-01-01',
  '2025-01-15',
  '2025-01-15',
  '2025-01-31',
  '2025-02-01',
  '2025-02-28',
  '2025-03-01',
];
// Equal values in different spellings ("10.5", "10.50"; "5", "5.00") make amount ties.
const AMOUNTS = ['10.5', '10.50', '0.01', '5', '5.00', '99.99', '100', '1234.56', '10.05', '250.75', '5.5'];
const DESCRIPTIONS: (string | null)[] = [
  'Coffee at Joe',
  'COFFEE beans',
  'coffee',
  '50% off sale',
  '5000 off sale',
  'snake_case shop',
  'snakeXcase shop',
  'Rent',
  'Path C:\\temp',
  null,
  '  Padded Lunch  ',
  'Weekly GROCERIES',
  '100%_pure',
  '',
];
const TAGS: string[][] = [
  [],
  ['food'],
  ['food', 'weekly'],
  ['weekly'],
  ['a,b'],
  ['say "hi"'],
  ['food', 'a,b', 'say "hi"'],
  [' food ', 'food', 'weekly '],
  ["it's"],
  ['{braces}', 'food'],
  ['weekly', 'say "hi"'],
];

export let server: TestServer;
export let owner: GraphQLClient;
export let stranger: GraphQLClient; // has accounts and categories, no transactions
export let neighbour: GraphQLClient; // has a few transactions of their own
export const rows: Row[] = [];
export const neighbourRows: Row[] = [];
export const account = { checking: '', savings: '', euro: '' };
export const category: Record<string, string> = {};
export const foreign = { account: '', category: '' };
/** Cursors of a transaction deleted after they were taken, and the row they pointed at. */
export let deleted: { row: Row; cursors: Record<string, string> };
export let seedMs = 0;

async function create(client: GraphQLClient, input: SeedInput): Promise<Row> {
  const data = await client.data<{ createTransaction: Row }>(CREATE_TRANSACTION, { input });
  const created = data.createTransaction;
  const expected = expectedRow(input, created);
  expect(created).toEqual(expected);
  return expected;
}

/** Starts the server and writes the seed. */
export async function seedTransactions(): Promise<void> {
  const started = Date.now();
  server = await startTestServer();
  owner = server.client((await registerUser(server.client())).accessToken);
  stranger = server.client((await registerUser(server.client())).accessToken);
  neighbour = server.client((await registerUser(server.client())).accessToken);

  account.checking = (await createAccount(owner, { name: 'Checking', openingBalance: '100' })).id;
  account.savings = (await createAccount(owner, { name: 'Savings', type: 'SAVINGS' })).id;
  account.euro = (await createAccount(owner, { name: 'Euro wallet', type: 'CASH', currency: 'EUR' })).id;
  Object.assign(category, await categoriesByName(owner));
  const custom = await owner.data<{ createCategory: { id: string } }>(
    `mutation { createCategory(input: { name: "Coffee shops", kind: EXPENSE }) { id } }`,
  );
  category['Coffee shops'] = custom.createCategory.id;

  const expenseCategories = [
    category.Groceries!,
    category.Dining!,
    category.Housing!,
    null,
    category['Coffee shops']!,
  ];
  const incomeCategories = [category.Salary!, category['Other income']!, null];
  const plainAccounts = [account.checking, account.savings, account.euro];
  const inputs: SeedInput[] = [];
  for (let i = 0; i < 58; i++) {
    const type = (['EXPENSE', 'INCOME', 'EXPENSE', 'TRANSFER', 'EXPENSE'] as const)[i % 5]!;
    const shared = {
      amount: AMOUNTS[(i * 3) % AMOUNTS.length]!,
      date: DATES[i % DATES.length]!,
      description: DESCRIPTIONS[i % DESCRIPTIONS.length]!,
      tags: TAGS[(i * 5) % TAGS.length]!,
    };
    if (type === 'TRANSFER') {
      const [from, to] = i % 2 ? [account.checking, account.savings] : [account.savings, account.checking];
      inputs.push({ ...shared, type, accountId: from, transferAccountId: to });
    } else {
      const categories = type === 'INCOME' ? incomeCategories : expenseCategories;
      inputs.push({
        ...shared,
        type,
        accountId: plainAccounts[i % 3]!,
        categoryId: categories[Math.floor(i / 5) % categories.length],
      });
    }
  }
  // Amounts beyond 2^53 cents: a float comparison would get these wrong.
  inputs.push({
    accountId: account.euro,
    type: 'INCOME',
    amount: '90071992547409.93',
    date: '2025-01-15',
    description: 'Big_win 100%',
    tags: ['a,b', 'food'],
  });
  inputs.push({
    accountId: account.euro,
    type: 'EXPENSE',
    amount: '90071992547409.92',
    date: '2025-01-15',
    categoryId: category.Housing,
    description: 'big LOSS',
    tags: ['say "hi"'],
  });
  for (const input of inputs) rows.push(await create(owner, input));

  // One transaction changed after creation: the list must show its new values.
  const changedIndex = 7;
  const change = {
    amount: '10.5',
    date: '2025-02-28',
    description: ' Updated COFFEE_run ',
    tags: ['weekly', 'food', 'a,b'],
  };
  const updated = await owner.data<{ updateTransaction: Row }>(UPDATE_TRANSACTION, {
    id: rows[changedIndex]!.id,
    input: change,
  });
  const before = rows[changedIndex]!;
  const after = expectedRow(
    {
      ...inputs[changedIndex]!,
      ...change,
    },
    { id: before.id, createdAt: before.createdAt, updatedAt: updated.updateTransaction.updatedAt },
  );
  expect(updated.updateTransaction).toEqual(after);
  rows[changedIndex] = after;

  // One transaction created, its cursors taken, then deleted: it must not be listed, and its
  // cursors must still resume at its position.
  const doomed = await create(owner, {
    accountId: account.checking,
    type: 'EXPENSE',
    amount: '10.50',
    date: '2025-01-15',
    description: 'coffee to delete',
    tags: ['food'],
  });
  const cursors: Record<string, string> = {};
  for (const sort of SORTS) {
    const page = await list(owner, { sort, first: 500 });
    const edge = page.edges.find((e) => e.node.id === doomed.id);
    expect(edge, `${sort.field} ${sort.direction}`).toBeDefined();
    cursors[`${sort.field} ${sort.direction}`] = edge!.cursor;
  }
  await owner.data(DELETE_TRANSACTION, { id: doomed.id });
  deleted = { row: doomed, cursors };

  // Another user's data, with the same dates and amounts.
  const strangerAccount = await createAccount(stranger, { name: 'Stranger checking' });
  foreign.account = strangerAccount.id;
  foreign.category = (await categoriesByName(stranger)).Groceries!;
  const neighbourAccount = (await createAccount(neighbour, { name: 'Neighbour' })).id;
  const neighbourGroceries = (await categoriesByName(neighbour)).Groceries!;
  for (const amount of ['10.50', '5', '99.99']) {
    neighbourRows.push(
      await create(neighbour, {
        accountId: neighbourAccount,
        type: 'EXPENSE',
        amount,
        date: '2025-01-15',
        categoryId: neighbourGroceries,
        description: 'coffee neighbour',
        tags: ['food', 'a,b'],
      }),
    );
  }
  seedMs = Date.now() - started;
}
