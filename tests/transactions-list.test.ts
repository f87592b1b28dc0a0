import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLClient } from './helpers/graphql.js';
import { createAccount, TRANSACTION_FIELDS } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

/*
 * The transactions query through the GraphQL API: pagination walks in every sort order, every
 * filter, bad arguments and ownership. Expected pages are computed here, independently of the
 * server, from the data this file seeds.
 */

type TxType = 'INCOME' | 'EXPENSE' | 'TRANSFER';
type SortField = 'DATE' | 'AMOUNT' | 'CREATED_AT';
type Direction = 'ASC' | 'DESC';
interface Sort {
  field: SortField;
  direction: Direction;
}

/** A transaction exactly as the API returns it with TRANSACTION_FIELDS. */
interface Row {
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

interface Filter {
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

interface Connection {
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

const LIST = /* GraphQL */ `
  query List($filter: TransactionFilter, $sort: TransactionSort, $first: Int, $after: String, $offset: Int) {
    transactions(filter: $filter, sort: $sort, first: $first, after: $after, offset: $offset) {
      totalCount
      nodes { ${TRANSACTION_FIELDS} }
      edges { cursor node { ${TRANSACTION_FIELDS} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const SORTS: Sort[] = (['DATE', 'AMOUNT', 'CREATED_AT'] as const).flatMap((field) =>
  (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
);

// ---------------------------------------------------------------------------------------------
// Independent model: money as BigInt cents, dates and timestamps as strings, ids as strings.
// ---------------------------------------------------------------------------------------------

function cents(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new Error(`test bug: not a money string ${value}`);
  const amount = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -amount : amount;
}

function money(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareBigInts = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function sortKeyCompare(field: SortField, a: Row, b: Row): number {
  switch (field) {
    case 'DATE':
      return compareStrings(a.date, b.date);
    case 'AMOUNT':
      return compareBigInts(cents(a.amount), cents(b.amount));
    case 'CREATED_AT':
      return compareStrings(a.createdAt, b.createdAt);
  }
}

/** Sort field, then id, both in the given direction. */
function compareRows(sort: Sort, a: Row, b: Row): number {
  const order = sortKeyCompare(sort.field, a, b) || compareStrings(a.id, b.id);
  return sort.direction === 'ASC' ? order : -order;
}

const sorted = (rows: Row[], sort: Sort): Row[] => [...rows].sort((a, b) => compareRows(sort, a, b));

function matches(row: Row, filter: Filter): boolean {
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

async function list(
  client: GraphQLClient,
  variables: { filter?: Filter; sort?: Sort; first?: number; after?: string; offset?: number },
): Promise<Connection> {
  const data = await client.data<{ transactions: Connection }>(LIST, variables);
  return data.transactions;
}

/** Internal consistency of one page: edges mirror nodes, cursors present, start/end cursors. */
function checkPageShape(connection: Connection): void {
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

const ids = (rows: Row[]): string[] => rows.map((row) => row.id);

/** Walks with first/after until hasNextPage is false; every page must be the expected slice. */
async function walkWithCursors(
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
async function walkWithOffsets(
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

async function expectError(
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

let server: TestServer;
let owner: GraphQLClient;
let stranger: GraphQLClient; // has accounts and categories, no transactions
let neighbour: GraphQLClient; // has a few transactions of their own
const rows: Row[] = [];
const neighbourRows: Row[] = [];
const account = { checking: '', savings: '', euro: '' };
const category: Record<string, string> = {};
const foreign = { account: '', category: '' };
/** Cursors of a transaction deleted after they were taken, and the row they pointed at. */
let deleted: { row: Row; cursors: Record<string, string> };
let seedMs = 0;

async function create(client: GraphQLClient, input: SeedInput): Promise<Row> {
  const data = await client.data<{ createTransaction: Row }>(
    `mutation ($input: CreateTransactionInput!) { createTransaction(input: $input) { ${TRANSACTION_FIELDS} } }`,
    { input },
  );
  const created = data.createTransaction;
  const expected = expectedRow(input, created);
  expect(created).toEqual(expected);
  return expected;
}

async function categoriesOf(client: GraphQLClient): Promise<Record<string, string>> {
  const data = await client.data<{ categories: { id: string; name: string }[] }>(
    '{ categories { id name } }',
  );
  return Object.fromEntries(data.categories.map((c) => [c.name, c.id]));
}

beforeAll(async () => {
  const started = Date.now();
  server = await startTestServer();
  owner = server.client((await registerUser(server.client())).accessToken);
  stranger = server.client((await registerUser(server.client())).accessToken);
  neighbour = server.client((await registerUser(server.client())).accessToken);

  account.checking = (await createAccount(owner, { name: 'Checking', openingBalance: '100' })).id;
  account.savings = (await createAccount(owner, { name: 'Savings', type: 'SAVINGS' })).id;
  account.euro = (await createAccount(owner, { name: 'Euro wallet', type: 'CASH', currency: 'EUR' })).id;
  Object.assign(category, await categoriesOf(owner));
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
  const updated = await owner.data<{ updateTransaction: Row }>(
    `mutation ($id: ID!, $input: UpdateTransactionInput!) {
       updateTransaction(id: $id, input: $input) { ${TRANSACTION_FIELDS} }
     }`,
    { id: rows[changedIndex]!.id, input: change },
  );
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
  await owner.data('mutation ($id: ID!) { deleteTransaction(id: $id) }', { id: doomed.id });
  deleted = { row: doomed, cursors };

  // Another user's data, with the same dates and amounts.
  const strangerAccount = await createAccount(stranger, { name: 'Stranger checking' });
  foreign.account = strangerAccount.id;
  foreign.category = (await categoriesOf(stranger)).Groceries!;
  const neighbourAccount = (await createAccount(neighbour, { name: 'Neighbour' })).id;
  const neighbourGroceries = (await categoriesOf(neighbour)).Groceries!;
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
}, 180_000);

afterAll(async () => {
  if (seedMs) console.info(`transactions-list seed: ${seedMs} ms`);
  await server?.close();
});

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('seeded data', () => {
  it('has 60 live transactions with many ties on date and amount', () => {
    expect(rows).toHaveLength(60);
    expect(new Set(ids(rows)).size).toBe(60);
    expect(new Set(rows.map((r) => r.date)).size).toBeLessThanOrEqual(7);
    expect(new Set(rows.map((r) => r.amount)).size).toBeLessThanOrEqual(12);
    expect(rows.filter((r) => r.date === '2025-01-15').length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.amount === '10.50').length).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['INCOME', 'EXPENSE', 'TRANSFER']));
  });

  it('default arguments: sort DATE DESC, first 50', async () => {
    const connection = await owner.data<{ transactions: Connection }>(
      `{ transactions { totalCount nodes { ${TRANSACTION_FIELDS} } pageInfo { hasNextPage hasPreviousPage } } }`,
    );
    expect(connection.transactions.nodes).toEqual(
      sorted(rows, { field: 'DATE', direction: 'DESC' }).slice(0, 50),
    );
    expect(connection.transactions.totalCount).toBe(60);
    expect(connection.transactions.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it('works without selecting totalCount, and first at the edges of the total', async () => {
    const sort: Sort = { field: 'AMOUNT', direction: 'ASC' };
    const expected = sorted(rows, sort);
    const data = await owner.data<{ transactions: Omit<Connection, 'totalCount'> }>(
      `query ($sort: TransactionSort, $first: Int) {
         transactions(sort: $sort, first: $first) { nodes { id } pageInfo { hasNextPage } }
       }`,
      { sort, first: 59 },
    );
    expect(data.transactions.nodes.map((n) => n.id)).toEqual(ids(expected.slice(0, 59)));
    expect(data.transactions.pageInfo.hasNextPage).toBe(true);
    const all = await list(owner, { sort, first: 60 });
    expect(all.nodes).toEqual(expected);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const max = await list(owner, { sort, first: 500 });
    expect(max.nodes).toEqual(expected);
    const one = await list(owner, { sort, first: 1 });
    expect(one.nodes).toEqual(expected.slice(0, 1));
    expect(one.pageInfo.hasNextPage).toBe(true);
  });
});

describe('pagination walks', () => {
  for (const sort of SORTS) {
    it(`${sort.field} ${sort.direction}: cursor walk, first 7`, async () => {
      await walkWithCursors(owner, sort, undefined, 7, sorted(rows, sort));
    });
    it(`${sort.field} ${sort.direction}: offset walk, first 7`, async () => {
      await walkWithOffsets(owner, sort, undefined, 7, sorted(rows, sort));
    });
  }

  it('a page size dividing the total ends with hasNextPage false on a full page', async () => {
    const sort: Sort = { field: 'DATE', direction: 'ASC' };
    await walkWithCursors(owner, sort, undefined, 6, sorted(rows, sort));
    await walkWithOffsets(owner, sort, undefined, 6, sorted(rows, sort));
  });

  it('the cursor of a deleted transaction still resumes at its position', async () => {
    for (const sort of SORTS) {
      const key = `${sort.field} ${sort.direction}`;
      const expected = sorted(rows, sort).filter((row) => compareRows(sort, row, deleted.row) > 0);
      const page = await list(owner, { sort, first: 500, after: deleted.cursors[key] });
      expect(ids(page.nodes), key).toEqual(ids(expected));
      expect(page.nodes).not.toContainEqual(expect.objectContaining({ id: deleted.row.id }));
      expect(page.totalCount).toBe(60);
    }
  });
});

interface FilterCase {
  name: string;
  filter: () => Filter;
  /** What the case is meant to select, checked so that a case cannot silently test nothing. */
  expect: 'none' | 'some' | 'all';
}

const FILTER_CASES: FilterCase[] = [
  // dates, inclusive
  { name: 'from', filter: () => ({ from: '2025-01-15' }), expect: 'some' },
  { name: 'to', filter: () => ({ to: '2025-01-15' }), expect: 'some' },
  {
    name: 'from = to (one day, both ends inclusive)',
    filter: () => ({ from: '2025-01-15', to: '2025-01-15' }),
    expect: 'some',
  },
  { name: 'from..to over a month', filter: () => ({ from: '2025-02-01', to: '2025-02-28' }), expect: 'some' },
  {
    name: 'from..to with no dates inside',
    filter: () => ({ from: '2025-01-16', to: '2025-01-30' }),
    expect: 'none',
  },
  { name: 'from after to', filter: () => ({ from: '2025-03-01', to: '2025-01-01' }), expect: 'none' },
  {
    name: 'from before all, to after all',
    filter: () => ({ from: '2024-12-31', to: '2025-03-01' }),
    expect: 'all',
  },
  // accounts: either side of a transfer
  {
    name: 'accountIds savings (also as transfer target)',
    filter: () => ({ accountIds: [account.savings] }),
    expect: 'some',
  },
  { name: 'accountIds checking', filter: () => ({ accountIds: [account.checking] }), expect: 'some' },
  { name: 'accountIds euro', filter: () => ({ accountIds: [account.euro] }), expect: 'some' },
  {
    name: 'accountIds two accounts, with a duplicate',
    filter: () => ({ accountIds: [account.checking, account.savings, account.checking] }),
    expect: 'some',
  },
  {
    name: 'accountIds all three',
    filter: () => ({ accountIds: [account.euro, account.checking, account.savings] }),
    expect: 'all',
  },
  // categories
  { name: 'categoryIds Groceries', filter: () => ({ categoryIds: [category.Groceries!] }), expect: 'some' },
  {
    name: 'categoryIds Salary + Groceries',
    filter: () => ({ categoryIds: [category.Salary!, category.Groceries!] }),
    expect: 'some',
  },
  {
    name: 'categoryIds custom category',
    filter: () => ({ categoryIds: [category['Coffee shops']!] }),
    expect: 'some',
  },
  {
    name: 'categoryIds unused category',
    filter: () => ({ categoryIds: [category.Health!] }),
    expect: 'none',
  },
  // types
  { name: 'types TRANSFER', filter: () => ({ types: ['TRANSFER'] }), expect: 'some' },
  { name: 'types INCOME, EXPENSE', filter: () => ({ types: ['INCOME', 'EXPENSE'] }), expect: 'some' },
  { name: 'types all', filter: () => ({ types: ['INCOME', 'EXPENSE', 'TRANSFER'] }), expect: 'all' },
  // amounts, inclusive
  { name: 'minAmount 10.5', filter: () => ({ minAmount: '10.5' }), expect: 'some' },
  { name: 'maxAmount 10.50', filter: () => ({ maxAmount: '10.50' }), expect: 'some' },
  {
    name: 'minAmount 5 .. maxAmount 10.5',
    filter: () => ({ minAmount: '5', maxAmount: '10.5' }),
    expect: 'some',
  },
  { name: 'min = max = 0.01', filter: () => ({ minAmount: '0.01', maxAmount: '0.01' }), expect: 'some' },
  { name: 'minAmount beyond 2^53 cents', filter: () => ({ minAmount: '90071992547409.93' }), expect: 'some' },
  {
    name: 'maxAmount one cent below the largest',
    filter: () => ({ minAmount: '1000', maxAmount: '90071992547409.92' }),
    expect: 'some',
  },
  { name: 'minAmount negative', filter: () => ({ minAmount: '-1' }), expect: 'all' },
  { name: 'min above max', filter: () => ({ minAmount: '100', maxAmount: '99.99' }), expect: 'none' },
  // search: case-insensitive substring, % _ and \ literal
  { name: 'search coffee', filter: () => ({ search: 'coffee' }), expect: 'some' },
  { name: 'search COFFEE', filter: () => ({ search: 'COFFEE' }), expect: 'some' },
  { name: 'search cOfFeE bEaNs', filter: () => ({ search: 'cOfFeE bEaNs' }), expect: 'some' },
  { name: 'search 50% (not 5000)', filter: () => ({ search: '50%' }), expect: 'some' },
  { name: 'search %', filter: () => ({ search: '%' }), expect: 'some' },
  { name: 'search _', filter: () => ({ search: '_' }), expect: 'some' },
  { name: 'search e_c (not eXc)', filter: () => ({ search: 'e_c' }), expect: 'some' },
  { name: 'search %_', filter: () => ({ search: '%_' }), expect: 'some' },
  { name: 'search backslash', filter: () => ({ search: '\\' }), expect: 'some' },
  { name: 'search C:\\t', filter: () => ({ search: 'c:\\T' }), expect: 'some' },
  { name: 'search with inner spaces', filter: () => ({ search: ' off ' }), expect: 'some' },
  { name: 'search no match', filter: () => ({ search: 'zzz' }), expect: 'none' },
  {
    name: 'search only wildcards that match nothing literally',
    filter: () => ({ search: '_%' }),
    expect: 'none',
  },
  // tags: all-of, exact
  { name: 'tags food', filter: () => ({ tags: ['food'] }), expect: 'some' },
  { name: 'tags food + weekly', filter: () => ({ tags: ['food', 'weekly'] }), expect: 'some' },
  { name: 'tags with a comma', filter: () => ({ tags: ['a,b'] }), expect: 'some' },
  { name: 'tags with a double quote', filter: () => ({ tags: ['say "hi"'] }), expect: 'some' },
  { name: 'tags comma + quote', filter: () => ({ tags: ['a,b', 'say "hi"'] }), expect: 'some' },
  { name: 'tags with a single quote', filter: () => ({ tags: ["it's"] }), expect: 'some' },
  { name: 'tags with braces', filter: () => ({ tags: ['{braces}'] }), expect: 'some' },
  { name: 'tags a (part of "a,b")', filter: () => ({ tags: ['a'] }), expect: 'none' },
  { name: 'tags b (part of "a,b")', filter: () => ({ tags: ['b'] }), expect: 'none' },
  { name: 'tags say (part of a quoted tag)', filter: () => ({ tags: ['say'] }), expect: 'none' },
  { name: 'tags unknown', filter: () => ({ tags: ['food', 'nope'] }), expect: 'none' },
  // combined
  {
    name: 'savings transfers from mid-January',
    filter: () => ({ accountIds: [account.savings], types: ['TRANSFER'], from: '2025-01-15' }),
    expect: 'some',
  },
  {
    name: 'search + tags + minAmount',
    filter: () => ({ search: 'COFFEE', tags: ['food'], minAmount: '5' }),
    expect: 'some',
  },
  {
    name: 'categories + to + maxAmount',
    filter: () => ({
      categoryIds: [category.Groceries!, category.Dining!],
      to: '2025-02-01',
      maxAmount: '99.99',
    }),
    expect: 'some',
  },
  {
    name: 'euro + big amounts + search',
    filter: () => ({ accountIds: [account.euro], minAmount: '1000', search: 'b' }),
    expect: 'some',
  },
  {
    name: 'every filter at once',
    filter: () => ({
      from: '2025-01-01',
      to: '2025-02-28',
      accountIds: [account.checking, account.euro],
      categoryIds: [category.Groceries!, category.Housing!, category['Coffee shops']!, category.Salary!],
      types: ['EXPENSE', 'INCOME'],
      minAmount: '0.01',
      maxAmount: '90071992547409.92',
      search: 'e',
      tags: ['food'],
    }),
    expect: 'some',
  },
];

describe('filters', () => {
  FILTER_CASES.forEach((testCase, index) => {
    const sort = SORTS[index % SORTS.length]!;
    it(`${testCase.name} (${sort.field} ${sort.direction})`, async () => {
      const filter = testCase.filter();
      const expected = sorted(
        rows.filter((row) => matches(row, filter)),
        sort,
      );
      if (testCase.expect === 'none') expect(expected).toHaveLength(0);
      if (testCase.expect === 'all') expect(expected).toHaveLength(rows.length);
      if (testCase.expect === 'some') {
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(rows.length);
      }

      const all = await list(owner, { filter, sort, first: 500 });
      checkPageShape(all);
      expect(ids(all.nodes)).toEqual(ids(expected));
      expect(all.nodes).toEqual(expected);
      expect(all.totalCount).toBe(expected.length);

      // totalCount does not depend on first.
      const small = await list(owner, { filter, sort, first: 2 });
      expect(small.totalCount).toBe(expected.length);
      expect(ids(small.nodes)).toEqual(ids(expected.slice(0, 2)));
      expect(small.pageInfo.hasNextPage).toBe(expected.length > 2);

      // Filters hold across pages, with cursors and with offsets.
      await walkWithCursors(owner, sort, filter, 4, expected);
      await walkWithOffsets(owner, sort, filter, 4, expected);
    });
  });

  it('search matches case-insensitively and treats % and _ literally (spot checks)', async () => {
    const descriptions = async (search: string) =>
      (await list(owner, { filter: { search }, first: 500 })).nodes.map((n) => n.description);
    expect(await descriptions('50%')).not.toContain('5000 off sale');
    expect(await descriptions('50%')).toContain('50% off sale');
    expect(await descriptions('e_c')).toContain('snake_case shop');
    expect(await descriptions('e_c')).not.toContain('snakeXcase shop');
    expect(new Set(await descriptions('coffee'))).toEqual(
      new Set(['Coffee at Joe', 'COFFEE beans', 'coffee', 'Updated COFFEE_run']),
    );
  });
});

describe('bad arguments', () => {
  it('first outside 1..500', async () => {
    await expectError(owner, LIST, { first: 0 }, 'BAD_USER_INPUT', 'first');
    await expectError(owner, LIST, { first: 501 }, 'BAD_USER_INPUT', 'first');
    await expectError(owner, LIST, { first: -1 }, 'BAD_USER_INPUT', 'first');
  });

  it('after together with offset', async () => {
    const page = await list(owner, { first: 7 });
    await expectError(
      owner,
      LIST,
      { first: 7, after: page.pageInfo.endCursor, offset: 7 },
      'BAD_USER_INPUT',
      'offset',
    );
  });

  it('negative offset', async () => {
    await expectError(owner, LIST, { first: 7, offset: -1 }, 'BAD_USER_INPUT', 'offset');
  });

  it('a cursor that does not decode', async () => {
    await expectError(owner, LIST, { first: 7, after: 'garbage' }, 'BAD_USER_INPUT', 'after');
    await expectError(owner, LIST, { first: 7, after: '' }, 'BAD_USER_INPUT', 'after');
  });

  it('a cursor of one sort order used with another', async () => {
    for (const from of SORTS) {
      const page = await list(owner, { sort: from, first: 3 });
      for (const to of SORTS.filter((s) => s.field !== from.field)) {
        await expectError(
          owner,
          LIST,
          { sort: to, first: 3, after: page.pageInfo.endCursor },
          'BAD_USER_INPUT',
          'after',
        );
      }
    }
  });

  it('a Decimal with 3 decimals', async () => {
    await expectError(owner, LIST, { filter: { minAmount: '1.005' } }, 'BAD_USER_INPUT', 'minAmount');
    await expectError(owner, LIST, { filter: { maxAmount: '10.500' } }, 'BAD_USER_INPUT', 'maxAmount');
    await expectError(
      owner,
      '{ transactions(filter: { minAmount: "1.005" }) { totalCount } }',
      {},
      'BAD_USER_INPUT',
    );
  });

  it('a malformed date', async () => {
    await expectError(owner, LIST, { filter: { from: '2025-02-30' } }, 'BAD_USER_INPUT', 'from');
    await expectError(owner, LIST, { filter: { to: '2025-02-30' } }, 'BAD_USER_INPUT', 'to');
    await expectError(
      owner,
      '{ transactions(filter: { from: "2025-02-30" }) { totalCount } }',
      {},
      'BAD_USER_INPUT',
    );
  });
});

describe('a tampered cursor', () => {
  // A client may corrupt an opaque cursor; it is bad input, never a server error. These decode
  // the server's own cursor (base64url text) and change one value inside it.
  async function tampered(sort: Sort, replace: (text: string, node: Row) => string): Promise<string> {
    const page = await list(owner, { sort, first: 1 });
    const edge = page.edges[0]!;
    const text = Buffer.from(edge.cursor, 'base64url').toString('utf8');
    const changed = replace(text, edge.node);
    expect(changed, `the cursor text ${text} should contain the value to change`).not.toBe(text);
    return Buffer.from(changed, 'utf8').toString('base64url');
  }

  it('with an impossible date is BAD_USER_INPUT', async () => {
    const sort: Sort = { field: 'DATE', direction: 'ASC' };
    const after = await tampered(sort, (text, node) => text.replace(node.date, '2025-02-30'));
    await expectError(owner, LIST, { sort, first: 3, after }, 'BAD_USER_INPUT', 'after');
  });

  it('with an impossible createdAt is BAD_USER_INPUT', async () => {
    const sort: Sort = { field: 'CREATED_AT', direction: 'ASC' };
    const after = await tampered(sort, (text, node) =>
      text.replace(node.createdAt, '2025-02-30T00:00:00.000Z'),
    );
    await expectError(owner, LIST, { sort, first: 3, after }, 'BAD_USER_INPUT', 'after');
  });

  it('with a malformed id is BAD_USER_INPUT', async () => {
    const sort: Sort = { field: 'AMOUNT', direction: 'ASC' };
    const after = await tampered(sort, (text, node) => text.replace(node.id, '-'.repeat(36)));
    await expectError(owner, LIST, { sort, first: 3, after }, 'BAD_USER_INPUT', 'after');
  });
});

describe('ids in filters', () => {
  it("another user's account or category is NOT_FOUND", async () => {
    await expectError(owner, LIST, { filter: { accountIds: [foreign.account] } }, 'NOT_FOUND');
    await expectError(
      owner,
      LIST,
      { filter: { accountIds: [account.checking, foreign.account] } },
      'NOT_FOUND',
    );
    await expectError(owner, LIST, { filter: { categoryIds: [foreign.category] } }, 'NOT_FOUND');
    await expectError(
      owner,
      LIST,
      { filter: { categoryIds: [category.Groceries, foreign.category] } },
      'NOT_FOUND',
    );
  });

  it('an unknown or malformed id is NOT_FOUND', async () => {
    const unknown = '6f1c1d2e-0000-4000-8000-000000000000';
    await expectError(owner, LIST, { filter: { accountIds: [unknown] } }, 'NOT_FOUND');
    await expectError(owner, LIST, { filter: { categoryIds: [unknown] } }, 'NOT_FOUND');
    await expectError(owner, LIST, { filter: { accountIds: ['not-an-id'] } }, 'NOT_FOUND');
    await expectError(owner, LIST, { filter: { categoryIds: ['123'] } }, 'NOT_FOUND');
    await expectError(
      owner,
      LIST,
      { filter: { accountIds: [account.checking, "x' or 1=1 --"] } },
      'NOT_FOUND',
    );
  });
});

describe('other users', () => {
  it('see none of the first user’s transactions', async () => {
    for (const sort of SORTS) {
      const connection = await list(stranger, { sort, first: 500 });
      expect(connection.nodes).toEqual([]);
      expect(connection.edges).toEqual([]);
      expect(connection.totalCount).toBe(0);
      expect(connection.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: null,
        endCursor: null,
      });
    }
    const own = await list(stranger, { filter: { accountIds: [foreign.account] } });
    expect(own.totalCount).toBe(0);
    expect(own.nodes).toEqual([]);
    const byTag = await list(stranger, { filter: { tags: ['food'], search: 'coffee' }, offset: 0 });
    expect(byTag.totalCount).toBe(0);
  });

  it('see only their own transactions, and the first user none of theirs', async () => {
    const sort: Sort = { field: 'AMOUNT', direction: 'DESC' };
    const theirs = await list(neighbour, { sort, first: 500 });
    expect(theirs.nodes).toEqual(sorted(neighbourRows, sort));
    expect(theirs.totalCount).toBe(3);
    const mine = await list(owner, { filter: { search: 'neighbour' }, first: 500 });
    expect(mine.nodes).toEqual([]);
    expect(mine.totalCount).toBe(0);
  });

  it("cannot resume from the first user's cursor into their rows", async () => {
    const sort: Sort = { field: 'DATE', direction: 'ASC' };
    const page = await list(owner, { sort, first: 1 });
    const resumed = await list(stranger, { sort, first: 500, after: page.pageInfo.endCursor! });
    expect(resumed.nodes).toEqual([]);
    expect(resumed.totalCount).toBe(0);
  });
});
