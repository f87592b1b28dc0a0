/**
 * Categories through the public API: the starter set, nesting, cycles, unique names, updates and
 * deletion. Every refused request is checked for its code (and field), for never being an
 * internal error, and for leaving the user's data exactly as it was (tests/helpers/refusals.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, CONFLICT, NOT_FOUND } from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { balances, categoryId } from './helpers/ledger.js';
import { createTx, newClient, openAccount, UPDATE_TX } from './helpers/ledger-rules.js';
import { BalanceModel } from './helpers/model/ledger.js';
import {
  CATEGORIES,
  CREATE_CATEGORY,
  DELETE_CATEGORY,
  TRANSACTION,
  UPDATE_CATEGORY,
} from './helpers/operations.js';
import { label, LONG, refused, UNKNOWN_ID } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('categories', () => {
  it('gives a new user the starter set, top-level and uncoloured', async () => {
    const client = await newClient(server);
    const { categories } = await client.data(CATEGORIES, {});
    const names = (kind: string) =>
      categories
        .filter((c: { kind: string }) => c.kind === kind)
        .map((c: { name: string }) => c.name)
        .sort();
    expect(names('INCOME')).toEqual(['Other income', 'Salary'].sort());
    expect(names('EXPENSE')).toEqual(
      ['Groceries', 'Housing', 'Utilities', 'Transport', 'Dining', 'Health', 'Entertainment', 'Other'].sort(),
    );
    expect(categories).toHaveLength(10);
    for (const category of categories) expect(category).toMatchObject({ parent: null, color: null });
    const income = await client.data(CATEGORIES, { kind: 'INCOME' });
    expect(income.categories.map((c: { name: string }) => c.name).sort()).toEqual(names('INCOME'));
  });
});

describe('parents', () => {
  let client: GraphQLClient;
  let housing: string;
  let salary: string;
  let rent: { id: string };
  beforeAll(async () => {
    client = await newClient(server);
    housing = await categoryId(client, 'Housing');
    salary = await categoryId(client, 'Salary');
    rent = (
      await client.data(CREATE_CATEGORY, {
        input: { name: 'Rent', kind: 'EXPENSE', parentId: housing, color: '#4caf50' },
      })
    ).createCategory;
  });

  it('nests categories of the same kind', async () => {
    expect(rent).toMatchObject({ name: 'Rent', kind: 'EXPENSE', color: '#4caf50', parent: { id: housing } });
    const deposit = (
      await client.data(CREATE_CATEGORY, { input: { name: 'Deposit', kind: 'EXPENSE', parentId: rent.id } })
    ).createCategory;
    expect(deposit.parent).toEqual({ id: rent.id });
  });

  it.each<[string, () => [string, Record<string, unknown>]]>([
    [
      'an INCOME category under an EXPENSE one',
      () => [CREATE_CATEGORY, { input: { name: 'Bonus', kind: 'INCOME', parentId: housing } }],
    ],
    [
      'an EXPENSE category under an INCOME one',
      () => [CREATE_CATEGORY, { input: { name: 'Bonus', kind: 'EXPENSE', parentId: salary } }],
    ],
    [
      'moving an EXPENSE category under an INCOME one',
      () => [UPDATE_CATEGORY, { id: rent.id, input: { parentId: salary } }],
    ],
    [
      'moving an INCOME category under an EXPENSE one',
      () => [UPDATE_CATEGORY, { id: salary, input: { parentId: housing } }],
    ],
  ])('refuses a parent of the other kind: %s', async (_case, request) => {
    const [query, variables] = request();
    await refused(client, query, variables, BAD_USER_INPUT, 'parentId');
  });

  it.each([UNKNOWN_ID, 'not-a-uuid'])(
    'answers NOT_FOUND for the parentId %s on create and update',
    async (parentId) => {
      await refused(client, CREATE_CATEGORY, { input: { name: 'Z', kind: 'EXPENSE', parentId } }, NOT_FOUND);
      await refused(client, UPDATE_CATEGORY, { id: rent.id, input: { parentId } }, NOT_FOUND);
    },
  );
});

describe('cycles', () => {
  let client: GraphQLClient;
  const tree = { housing: '', rent: '', deposit: '', refund: '' };
  beforeAll(async () => {
    client = await newClient(server);
    const create = async (name: string, parentId: string) =>
      (await client.data(CREATE_CATEGORY, { input: { name, kind: 'EXPENSE', parentId } })).createCategory.id;
    tree.housing = await categoryId(client, 'Housing');
    tree.rent = await create('Rent', tree.housing);
    tree.deposit = await create('Deposit', tree.rent);
    tree.refund = await create('Refund', tree.deposit);
  });

  it.each([
    ['housing', 'housing'],
    ['housing', 'rent'],
    ['housing', 'deposit'],
    ['housing', 'refund'],
    ['rent', 'refund'],
    ['deposit', 'deposit'],
  ] as const)(
    'refuses %s under %s: a category cannot become its own parent or descendant',
    async (child, parent) => {
      const { [child]: id, [parent]: parentId } = tree;
      await refused(client, UPDATE_CATEGORY, { id, input: { parentId } }, BAD_USER_INPUT, 'parentId');
    },
  );

  it('allows moves within the tree that make no cycle', async () => {
    const { rent, deposit, refund } = tree;
    // Moving within the tree without a cycle works: Refund under Rent, then Deposit top-level.
    expect(
      (await client.data(UPDATE_CATEGORY, { id: refund, input: { parentId: rent } })).updateCategory.parent,
    ).toEqual({ id: rent });
    const topLevel = await client.data(UPDATE_CATEGORY, { id: deposit, input: { parentId: null } });
    expect(topLevel.updateCategory).toMatchObject({ name: 'Deposit', parent: null });
    // And now Rent may go under Deposit (Deposit is no longer its descendant).
    expect(
      (await client.data(UPDATE_CATEGORY, { id: rent, input: { parentId: deposit } })).updateCategory.parent,
    ).toEqual({ id: deposit });
    await refused(
      client,
      UPDATE_CATEGORY,
      { id: deposit, input: { parentId: refund } },
      BAD_USER_INPUT,
      'parentId',
    );
  });
});

describe('names', () => {
  it.each(['Groceries', 'groceries', 'GROCERIES', '  Groceries  '])(
    'refuses %j next to the starter Groceries: names are unique case-insensitively',
    async (name) => {
      const client = await newClient(server);
      await refused(client, CREATE_CATEGORY, { input: { name, kind: 'EXPENSE' } }, CONFLICT);
    },
  );

  it('keeps names unique per user, kind and parent, case-insensitively', async () => {
    const client = await newClient(server);
    const housing = await categoryId(client, 'Housing');
    const utilities = await categoryId(client, 'Utilities');
    await refused(client, CREATE_CATEGORY, { input: { name: 'salary', kind: 'INCOME' } }, CONFLICT);
    // Other kind, other parent: allowed.
    await client.data(CREATE_CATEGORY, { input: { name: 'Groceries', kind: 'INCOME' } });
    const underHousing = (
      await client.data(CREATE_CATEGORY, { input: { name: 'Groceries', kind: 'EXPENSE', parentId: housing } })
    ).createCategory;
    await refused(
      client,
      CREATE_CATEGORY,
      { input: { name: 'GROCERIES', kind: 'EXPENSE', parentId: housing } },
      CONFLICT,
    );
    // Renaming onto a sibling's name, and moving next to a same-named category.
    const dining = await categoryId(client, 'Dining');
    await refused(client, UPDATE_CATEGORY, { id: dining, input: { name: 'transport' } }, CONFLICT);
    await refused(client, UPDATE_CATEGORY, { id: underHousing.id, input: { parentId: null } }, CONFLICT);
    const water = (
      await client.data(CREATE_CATEGORY, { input: { name: 'Water', kind: 'EXPENSE', parentId: utilities } })
    ).createCategory;
    await client.data(CREATE_CATEGORY, { input: { name: 'water', kind: 'EXPENSE', parentId: housing } });
    await refused(client, UPDATE_CATEGORY, { id: water.id, input: { parentId: housing } }, CONFLICT);
    // Renaming to its own name in another case is not a clash with itself.
    expect(
      (await client.data(UPDATE_CATEGORY, { id: dining, input: { name: 'DINING' } })).updateCategory.name,
    ).toBe('DINING');
    // Another user has a namespace of their own.
    const other = await newClient(server);
    await client.data(CREATE_CATEGORY, { input: { name: 'Pets', kind: 'EXPENSE' } });
    await other.data(CREATE_CATEGORY, { input: { name: 'pets', kind: 'EXPENSE' } });
  });

  it('updates name, colour and parent, keeping fields left out', async () => {
    const client = await newClient(server);
    const housing = await categoryId(client, 'Housing');
    const rent = (
      await client.data(CREATE_CATEGORY, {
        input: { name: 'Rent', kind: 'EXPENSE', parentId: housing, color: '#abc' },
      })
    ).createCategory;
    const renamed = (await client.data(UPDATE_CATEGORY, { id: rent.id, input: { name: ' Lease ' } }))
      .updateCategory;
    expect(renamed).toEqual({
      id: rent.id,
      name: 'Lease',
      kind: 'EXPENSE',
      color: '#abc',
      parent: { id: housing },
    });
    const recoloured = (await client.data(UPDATE_CATEGORY, { id: rent.id, input: { color: '#123456' } }))
      .updateCategory;
    expect(recoloured).toEqual({ ...renamed, color: '#123456' });
    const cleared = (await client.data(UPDATE_CATEGORY, { id: rent.id, input: { color: null } }))
      .updateCategory;
    expect(cleared).toEqual({ ...renamed, color: null });
  });
});

describe('bad colours, names and kinds', () => {
  let client: GraphQLClient;
  let rent: string;
  beforeAll(async () => {
    client = await newClient(server);
    const housing = await categoryId(client, 'Housing');
    rent = (
      await client.data(CREATE_CATEGORY, { input: { name: 'Rent', kind: 'EXPENSE', parentId: housing } })
    ).createCategory.id;
  });

  it.each(['red', '#12345', '#ggg', LONG, '#abc\u0000'].map((color) => [label(color), color]))(
    'refuses the colour %s on update and create',
    async (_label, color) => {
      await refused(client, UPDATE_CATEGORY, { id: rent, input: { color } }, BAD_USER_INPUT, 'color');
      await refused(
        client,
        CREATE_CATEGORY,
        { input: { name: 'C', kind: 'EXPENSE', color } },
        BAD_USER_INPUT,
        'color',
      );
    },
  );

  it.each(['', LONG, 'a\u0000b'].map((name) => [label(name), name]))(
    'refuses the name %s on update and create',
    async (_label, name) => {
      await refused(client, UPDATE_CATEGORY, { id: rent, input: { name } }, BAD_USER_INPUT, 'name');
      await refused(client, CREATE_CATEGORY, { input: { name, kind: 'EXPENSE' } }, BAD_USER_INPUT, 'name');
    },
  );

  it('refuses the kind TRANSFER', async () => {
    await refused(client, CREATE_CATEGORY, { input: { name: 'K', kind: 'TRANSFER' } }, BAD_USER_INPUT);
  });

  // Like accounts: a name that trims to nothing is no name.
  it('refuses a category name of only spaces', async () => {
    const client = await newClient(server);
    const rent = await categoryId(client, 'Housing');
    await refused(
      client,
      CREATE_CATEGORY,
      { input: { name: '   ', kind: 'EXPENSE' } },
      BAD_USER_INPUT,
      'name',
    );
    await refused(client, UPDATE_CATEGORY, { id: rent, input: { name: '   ' } }, BAD_USER_INPUT, 'name');
  });
});

describe('deleting a category', () => {
  it('on delete: its transactions become uncategorized and its children move up to its parent', async () => {
    const client = await newClient(server);
    const model = new BalanceModel();
    const account = await openAccount(client, model, { openingBalance: '1000' });
    const housing = await categoryId(client, 'Housing');
    const create = async (name: string, parentId?: string) =>
      (await client.data(CREATE_CATEGORY, { input: { name, kind: 'EXPENSE', parentId } })).createCategory.id;
    const rent = await create('Rent', housing);
    const deposit = await create('Deposit', rent);
    const fees = await create('Fees', rent);
    const refund = await create('Refund', deposit);

    const onRent = await createTx(client, model, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '700',
      categoryId: rent,
      description: 'rent',
      tags: ['home'],
    });
    const onDeposit = await createTx(client, model, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '50.5',
      categoryId: deposit,
    });
    const balancesBefore = await balances(client);
    expect(balancesBefore).toEqual(model.expected());

    expect((await client.data(DELETE_CATEGORY, { id: rent })).deleteCategory).toBe(true);
    const { categories } = await client.data(CATEGORIES, {});
    const byId = new Map(categories.map((c: any) => [c.id, c]));
    expect(byId.has(rent)).toBe(false);
    expect((byId.get(deposit) as any).parent).toEqual({ id: housing });
    expect((byId.get(fees) as any).parent).toEqual({ id: housing });
    expect((byId.get(refund) as any).parent).toEqual({ id: deposit });
    expect(categories).toHaveLength(10 + 3);

    const moved = (await client.data(TRANSACTION, { id: onRent.id })).transaction;
    expect(moved).toMatchObject({ category: null, type: 'EXPENSE', amount: '700.00', description: 'rent' });
    expect(moved.tags).toEqual(['home']);
    expect((await client.data(TRANSACTION, { id: onDeposit.id })).transaction.category).toEqual({
      id: deposit,
    });
    expect(await balances(client)).toEqual(balancesBefore);
    await refused(client, UPDATE_TX, { id: onRent.id, input: { categoryId: rent } }, NOT_FOUND);
    await refused(client, DELETE_CATEGORY, { id: rent }, NOT_FOUND);

    // A top-level category's children become top-level.
    expect((await client.data(DELETE_CATEGORY, { id: housing })).deleteCategory).toBe(true);
    const after = new Map((await client.data(CATEGORIES, {})).categories.map((c: any) => [c.id, c]));
    expect((after.get(deposit) as any).parent).toBeNull();
    expect((after.get(fees) as any).parent).toBeNull();
    expect((after.get(refund) as any).parent).toEqual({ id: deposit });
    expect(await balances(client)).toEqual(model.expected());
  });

  it('refuses a delete whose children would clash with their new siblings, changing nothing', async () => {
    const client = await newClient(server);
    const account = await openAccount(client, undefined, { openingBalance: '10' });
    const housing = await categoryId(client, 'Housing');
    const rent = (
      await client.data(CREATE_CATEGORY, { input: { name: 'Rent', kind: 'EXPENSE', parentId: housing } })
    ).createCategory.id;
    await client.data(CREATE_CATEGORY, { input: { name: 'Groceries', kind: 'EXPENSE', parentId: housing } });
    await createTx(client, undefined, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '1',
      categoryId: housing,
    });
    await createTx(client, undefined, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '2',
      categoryId: rent,
    });
    // Housing's child "Groceries" would land next to the starter "Groceries".
    await refused(client, DELETE_CATEGORY, { id: housing }, CONFLICT);
  });
});
