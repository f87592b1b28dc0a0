/*
 * The transactions query through the GraphQL API: pagination walks in every sort order, every
 * filter, bad arguments and ownership. Expected pages are computed independently of the server
 * from the seed (tests/helpers/transactions-list-seed.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, NOT_FOUND } from './helpers/error-codes.js';
import { TRANSACTION_FIELDS } from './helpers/operations.js';
import {
  account,
  category,
  checkPageShape,
  compareRows,
  deleted,
  expectError,
  foreign,
  ids,
  list,
  LIST,
  matches,
  neighbour,
  neighbourRows,
  owner,
  rows,
  seedMs,
  seedTransactions,
  server,
  sorted,
  SORTS,
  stranger,
  walkWithCursors,
  walkWithOffsets,
  type Connection,
  type Filter,
  type Row,
  type Sort,
} from './helpers/transactions-list-seed.js';

beforeAll(seedTransactions, 180_000);

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

describe('nested account and category', () => {
  // A page reads the fields its query selects of each row's account and category in its own
  // statement; whatever the selection, they must equal what the account and category queries say.
  const ACCOUNT = 'id name type currency openingBalance balance archived createdAt updatedAt';
  const CATEGORY = 'id name kind color createdAt updatedAt parent { id }';

  it('equal the accounts and categories read on their own, for any selection of their fields', async () => {
    const page = await owner.data<{ t: { nodes: Record<string, any>[] } }>(
      `{ t: transactions(first: 60) { nodes { id account { ${ACCOUNT} } c: category { ${CATEGORY} } } } }`,
    );
    const { accounts } = await owner.data<{ accounts: Record<string, unknown>[] }>(
      `{ accounts(includeArchived: true) { ${ACCOUNT} } }`,
    );
    const { categories } = await owner.data<{ categories: Record<string, unknown>[] }>(
      `{ categories { ${CATEGORY} } }`,
    );
    const byId = new Map([...accounts, ...categories].map((row) => [row.id, row]));
    for (const node of page.t.nodes) {
      expect(node.account).toEqual(byId.get(node.account.id));
      expect(node.c).toEqual(node.c === null ? null : byId.get(node.c.id));
    }
    expect(page.t.nodes.filter((node) => node.c !== null).length).toBeGreaterThan(0);
    const narrow = await owner.data<{ transactions: { edges: { node: Record<string, any> }[] } }>(
      `query ($all: Boolean!) { transactions(first: 5) { edges { node {
         ...on Transaction { account { currency @include(if: $all) name } }
         category { kind @skip(if: $all) } } } } }`,
      { all: true },
    );
    for (const { node } of narrow.transactions.edges) {
      expect(Object.keys(node.account).sort()).toEqual(['currency', 'name']);
      if (node.category) expect(node.category).toEqual({});
    }
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
  it.each([0, 501, -1])('first %i, outside 1..500', async (first) => {
    await expectError(owner, LIST, { first }, BAD_USER_INPUT, 'first');
  });

  it('after together with offset', async () => {
    const page = await list(owner, { first: 7 });
    await expectError(
      owner,
      LIST,
      { first: 7, after: page.pageInfo.endCursor, offset: 7 },
      BAD_USER_INPUT,
      'offset',
    );
  });

  it('negative offset', async () => {
    await expectError(owner, LIST, { first: 7, offset: -1 }, BAD_USER_INPUT, 'offset');
  });

  it.each(['garbage', ''])('a cursor that does not decode: %j', async (after) => {
    await expectError(owner, LIST, { first: 7, after }, BAD_USER_INPUT, 'after');
  });

  it.each(
    SORTS.flatMap((from) =>
      SORTS.filter((s) => s.field !== from.field).map(
        (to) => [`${from.field} ${from.direction}`, `${to.field} ${to.direction}`, from, to] as const,
      ),
    ),
  )('a cursor of %s used with %s', async (_from, _to, from, to) => {
    const page = await list(owner, { sort: from, first: 3 });
    await expectError(
      owner,
      LIST,
      { sort: to, first: 3, after: page.pageInfo.endCursor },
      BAD_USER_INPUT,
      'after',
    );
  });

  it('a Decimal with 3 decimals', async () => {
    await expectError(owner, LIST, { filter: { minAmount: '1.005' } }, BAD_USER_INPUT, 'minAmount');
    await expectError(owner, LIST, { filter: { maxAmount: '10.500' } }, BAD_USER_INPUT, 'maxAmount');
    await expectError(
      owner,
      '{ transactions(filter: { minAmount: "1.005" }) { totalCount } }',
      {},
      BAD_USER_INPUT,
    );
  });

  it('a malformed date', async () => {
    await expectError(owner, LIST, { filter: { from: '2025-02-30' } }, BAD_USER_INPUT, 'from');
    await expectError(owner, LIST, { filter: { to: '2025-02-30' } }, BAD_USER_INPUT, 'to');
    await expectError(
      owner,
      '{ transactions(filter: { from: "2025-02-30" }) { totalCount } }',
      {},
      BAD_USER_INPUT,
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
    await expectError(owner, LIST, { sort, first: 3, after }, BAD_USER_INPUT, 'after');
  });

  it('with an impossible createdAt is BAD_USER_INPUT', async () => {
    const sort: Sort = { field: 'CREATED_AT', direction: 'ASC' };
    // The cursor holds createdAt to the microsecond (node.createdAt shows milliseconds).
    const after = await tampered(sort, (text) =>
      text.replace(/"\d{4}-\d{2}-\d{2}T[^"]*Z"/, '"2025-02-30T00:00:00.000000Z"'),
    );
    await expectError(owner, LIST, { sort, first: 3, after }, BAD_USER_INPUT, 'after');
  });

  it('with a malformed id is BAD_USER_INPUT', async () => {
    const sort: Sort = { field: 'AMOUNT', direction: 'ASC' };
    const after = await tampered(sort, (text, node) => text.replace(node.id, '-'.repeat(36)));
    await expectError(owner, LIST, { sort, first: 3, after }, BAD_USER_INPUT, 'after');
  });
});

describe('ids in filters', () => {
  const unknown = '6f1c1d2e-0000-4000-8000-000000000000';
  it.each([
    ["another user's account", (): Filter => ({ accountIds: [foreign.account] })],
    [
      "another user's account next to one's own",
      (): Filter => ({ accountIds: [account.checking, foreign.account] }),
    ],
    ["another user's category", (): Filter => ({ categoryIds: [foreign.category] })],
    [
      "another user's category next to one's own",
      (): Filter => ({ categoryIds: [category.Groceries!, foreign.category] }),
    ],
    ['an unknown account', (): Filter => ({ accountIds: [unknown] })],
    ['an unknown category', (): Filter => ({ categoryIds: [unknown] })],
    ['a malformed account id', (): Filter => ({ accountIds: ['not-an-id'] })],
    ['a malformed category id', (): Filter => ({ categoryIds: ['123'] })],
    [
      'an injection attempt next to a real account',
      (): Filter => ({ accountIds: [account.checking, "x' or 1=1 --"] }),
    ],
  ])('%s is NOT_FOUND', async (_name, filter) => {
    await expectError(owner, LIST, { filter: filter() }, NOT_FOUND);
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
