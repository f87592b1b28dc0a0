/**
 * Transaction rules through the GraphQL API: CRUD and its validation (RE2 patterns checked when
 * saved), other users' ids behaving as unknown ones, rules applied to new transactions (order,
 * stopProcessing, an explicit category winning, tags added, renames, idempotent replays), and
 * applyRules over existing transactions (a dry run writes nothing; a real run writes exactly what
 * the dry run listed, through the ledger writer, leaving no balance or totals drift).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import { applyRules, compilePattern, type StoredRule } from '../src/modules/rule-matching/rule-engine.js';
import { BAD_USER_INPUT, INTERNAL_SERVER_ERROR, NOT_FOUND } from './helpers/error-codes.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { categoriesByName, createAccount, createTransaction } from './helpers/ledger.js';
import { TRANSACTION } from './helpers/operations.js';
import { UNKNOWN_ID } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

const MAX_RULES = 8;
const RULE_FIELDS = `id name position enabled stopProcessing conditions { field operator value }
  minAmount maxAmount accountIds types addTags setDescription setCategory { id name } createdAt`;
const RULES = `{ rules { ${RULE_FIELDS} } }`;
const RULE = `query ($id: ID!) { rule(id: $id) { ${RULE_FIELDS} } }`;
const CREATE_RULE = `mutation ($input: CreateRuleInput!) { createRule(input: $input) { ${RULE_FIELDS} } }`;
const UPDATE_RULE = `mutation ($id: ID!, $input: UpdateRuleInput!) { updateRule(id: $id, input: $input) { ${RULE_FIELDS} } }`;
const DELETE_RULE = 'mutation ($id: ID!) { deleteRule(id: $id) }';
const REMOVE_RULE = 'mutation ($id: ID!) { removeRule(id: $id) { id typename } }';
const APPLY_RULES = `mutation ($filter: TransactionFilter, $dryRun: Boolean) {
  applyRules(filter: $filter, dryRun: $dryRun) {
    dryRun scanned matched changed truncated lastDate
    changes { transactionId before { categoryId tags description } after { categoryId tags description } }
  } }`;
const ALL_TRANSACTIONS = `{ transactions(first: 500, sort: { field: CREATED_AT, direction: ASC }) {
  nodes { id type amount date description tags updatedAt account { id balance } category { id } } } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxRules: MAX_RULES });
});
afterAll(() => server?.close());

interface Person {
  client: GraphQLClient;
  account: string;
  other: string;
  categories: Record<string, string>;
}

async function person(): Promise<Person> {
  const user = await registerUser(server.client());
  const client = server.client(user.accessToken);
  const account = (await createAccount(client, { name: 'Main', openingBalance: '1000' })).id;
  const other = (await createAccount(client, { name: 'Savings', openingBalance: '0' })).id;
  return { client, account, other, categories: await categoriesByName(client) };
}

async function createRule(client: GraphQLClient, input: Record<string, unknown>): Promise<any> {
  return (await client.data(CREATE_RULE, { input })).createRule;
}

/** A refused request: the code, the field, never INTERNAL, and no rule written or changed. */
async function refusedRule(
  client: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<string> {
  const before = await client.data(RULES);
  const result = await client.request(query, variables);
  expect(JSON.stringify(result)).not.toContain(INTERNAL_SERVER_ERROR);
  expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field !== undefined) expect(result.errors?.[0]?.extensions?.field).toBe(field);
  expect(await client.data(RULES)).toEqual(before);
  return result.errors![0]!.message;
}

const drift = async () => ({
  balances: await findBalanceDrift(server.app.orm.em.fork()),
  totals: await findTotalsDrift(server.app.orm.em.fork()),
});

describe('rule CRUD and validation', () => {
  let a: Person;
  let b: Person;
  beforeAll(async () => {
    [a, b] = await Promise.all([person(), person()]);
  });

  it('creates with defaults, lists in position order (ties by creation), reads, updates and deletes', async () => {
    const first = await createRule(a.client, { name: ' Coffee ', addTags: [' coffee ', 'coffee', 'drinks'] });
    expect(first).toMatchObject({
      name: 'Coffee',
      position: 0,
      enabled: true,
      stopProcessing: false,
      conditions: [],
      minAmount: null,
      maxAmount: null,
      accountIds: [],
      types: [],
      addTags: ['coffee', 'drinks'],
      setDescription: null,
      setCategory: null,
    });
    const second = await createRule(a.client, {
      name: 'Groceries',
      conditions: [
        { operator: 'CONTAINS', value: ' market ' },
        { field: 'DESCRIPTION', operator: 'REGEX', value: '^super' },
      ],
      minAmount: '1.5',
      maxAmount: '100',
      accountIds: [a.account.toUpperCase()],
      types: ['EXPENSE'],
      setCategoryId: a.categories.Groceries,
    });
    expect(second).toMatchObject({
      position: 1,
      conditions: [
        { field: 'DESCRIPTION', operator: 'CONTAINS', value: 'market' },
        { field: 'DESCRIPTION', operator: 'REGEX', value: '^super' },
      ],
      minAmount: '1.50',
      maxAmount: '100.00',
      accountIds: [a.account],
      types: ['EXPENSE'],
      setCategory: { id: a.categories.Groceries, name: 'Groceries' },
    });
    const tie = await createRule(a.client, { name: 'Tie', position: 0, setDescription: 'Tied' });
    expect((await a.client.data(RULES)).rules.map((r: { name: string }) => r.name)).toEqual([
      'Coffee',
      'Tie',
      'Groceries',
    ]);
    expect((await a.client.data(RULE, { id: second.id })).rule).toEqual(second);

    const updated = (
      await a.client.data(UPDATE_RULE, {
        id: second.id,
        input: {
          position: 7,
          enabled: false,
          minAmount: null,
          setCategoryId: null,
          addTags: ['food'],
          name: null,
        },
      })
    ).updateRule;
    expect(updated).toMatchObject({
      name: 'Groceries',
      position: 7,
      enabled: false,
      minAmount: null,
      maxAmount: '100.00',
      setCategory: null,
      addTags: ['food'],
      types: ['EXPENSE'],
    });
    expect((await a.client.data(RULE, { id: second.id })).rule).toEqual(updated);

    expect((await a.client.data(DELETE_RULE, { id: tie.id })).deleteRule).toBe(true);
    expect((await a.client.data(REMOVE_RULE, { id: first.id })).removeRule).toEqual({
      id: first.id,
      typename: 'Rule',
    });
    expect(await a.client.errorCode(RULE, { id: tie.id })).toBe(NOT_FOUND);
    expect((await a.client.data(RULES)).rules.map((r: { id: string }) => r.id)).toEqual([second.id]);
    await a.client.data(DELETE_RULE, { id: second.id });
  });

  it('refuses patterns RE2 cannot run, with the reason, on conditions', async () => {
    for (const value of ['(a)\\1', '(?=x)', '(?<!x)a', '[unclosed', 'x{1001}']) {
      const message = await refusedRule(
        a.client,
        CREATE_RULE,
        { input: { name: 'Bad', addTags: ['t'], conditions: [{ operator: 'REGEX', value }] } },
        BAD_USER_INPUT,
        'conditions',
      );
      expect(message).toMatch(/conditions\[0\]\.value: the RE2 pattern is refused: .+/);
    }
    // A pattern that only RE2's program bound refuses.
    await refusedRule(
      a.client,
      CREATE_RULE,
      {
        input: {
          name: 'Big',
          addTags: ['t'],
          conditions: [{ operator: 'REGEX', value: '((((a{1,50}){1,50}){1,50}))' }],
        },
      },
      BAD_USER_INPUT,
      'conditions',
    );
    // Catastrophic for a backtracking engine, linear for RE2: accepted.
    const rule = await createRule(a.client, {
      name: 'Linear',
      addTags: ['t'],
      conditions: [{ operator: 'REGEX', value: '(a+)+$' }],
    });
    await a.client.data(DELETE_RULE, { id: rule.id });
  });

  it.each([
    ['no action', { name: 'Nothing' }, 'setCategoryId'],
    ['a blank name', { name: '   ', addTags: ['x'] }, 'name'],
    ['a name too long', { name: 'n'.repeat(101), addTags: ['x'] }, 'name'],
    [
      'a pattern too long',
      { name: 'P', addTags: ['x'], conditions: [{ operator: 'REGEX', value: 'a'.repeat(201) }] },
      'conditions',
    ],
    [
      'a blank condition',
      { name: 'P', addTags: ['x'], conditions: [{ operator: 'CONTAINS', value: '   ' }] },
      'conditions',
    ],
    [
      'an empty condition',
      { name: 'P', addTags: ['x'], conditions: [{ operator: 'EQUALS', value: '' }] },
      'conditions',
    ],
    [
      'eleven conditions',
      { name: 'P', addTags: ['x'], conditions: Array(11).fill({ operator: 'CONTAINS', value: 'a' }) },
      'conditions',
    ],
    ['a negative minAmount', { name: 'P', addTags: ['x'], minAmount: '-1' }, 'minAmount'],
    [
      'maxAmount below minAmount',
      { name: 'P', addTags: ['x'], minAmount: '10', maxAmount: '9.99' },
      'maxAmount',
    ],
    ['an amount with 3 decimals', { name: 'P', addTags: ['x'], minAmount: '1.001' }, 'minAmount'],
    ['a position out of range', { name: 'P', addTags: ['x'], position: -1 }, 'position'],
    ['21 tags', { name: 'P', addTags: Array.from({ length: 21 }, (_v, i) => `t${i}`) }, 'addTags'],
    ['a description too long', { name: 'P', setDescription: 'd'.repeat(501) }, 'setDescription'],
  ])('refuses %s as BAD_USER_INPUT on its field', async (_label, input, field) => {
    await refusedRule(a.client, CREATE_RULE, { input }, BAD_USER_INPUT, field);
  });

  it('refuses a category that the rule types could never take', async () => {
    await refusedRule(
      a.client,
      CREATE_RULE,
      { input: { name: 'P', types: ['EXPENSE', 'TRANSFER'], setCategoryId: a.categories.Salary } },
      BAD_USER_INPUT,
      'setCategoryId',
    );
  });

  it("treats another user's rules, accounts and categories as unknown ids", async () => {
    const mine = await createRule(a.client, { name: 'Mine', addTags: ['mine'] });
    for (const id of [mine.id, UNKNOWN_ID, 'not-an-id']) {
      await refusedRule(b.client, RULE, { id }, NOT_FOUND);
      await refusedRule(b.client, UPDATE_RULE, { id, input: { name: 'Stolen' } }, NOT_FOUND);
      await refusedRule(b.client, DELETE_RULE, { id }, NOT_FOUND);
      await refusedRule(b.client, REMOVE_RULE, { id }, NOT_FOUND);
    }
    expect((await a.client.data(RULE, { id: mine.id })).rule).toEqual(mine);
    expect((await b.client.data(RULES)).rules).toEqual([]);
    await refusedRule(
      b.client,
      CREATE_RULE,
      { input: { name: 'X', addTags: ['x'], accountIds: [a.account] } },
      NOT_FOUND,
    );
    await refusedRule(
      b.client,
      CREATE_RULE,
      { input: { name: 'X', setCategoryId: a.categories.Groceries } },
      NOT_FOUND,
    );
    await refusedRule(
      a.client,
      UPDATE_RULE,
      { id: mine.id, input: { setCategoryId: b.categories.Groceries } },
      NOT_FOUND,
    );
    await refusedRule(b.client, APPLY_RULES, { filter: { accountIds: [a.account] } }, NOT_FOUND);
    await a.client.data(DELETE_RULE, { id: mine.id });
  });

  it('an update is checked as a whole before anything is written', async () => {
    const rule = await createRule(a.client, {
      name: 'Whole',
      types: ['EXPENSE'],
      setCategoryId: a.categories.Dining,
    });
    await refusedRule(
      a.client,
      UPDATE_RULE,
      { id: rule.id, input: { name: 'Renamed', types: ['INCOME'] } },
      BAD_USER_INPUT,
      'setCategoryId',
    );
    await refusedRule(
      a.client,
      UPDATE_RULE,
      { id: rule.id, input: { setCategoryId: null } },
      BAD_USER_INPUT,
      'setCategoryId',
    );
    await refusedRule(
      a.client,
      UPDATE_RULE,
      { id: rule.id, input: { name: 'Renamed', conditions: [{ operator: 'REGEX', value: '\\1' }] } },
      BAD_USER_INPUT,
      'conditions',
    );
    expect((await a.client.data(RULE, { id: rule.id })).rule).toEqual(rule);
    await a.client.data(DELETE_RULE, { id: rule.id });
  });

  it(`allows at most ${MAX_RULES} rules per user`, async () => {
    const c = await person();
    for (let i = 0; i < MAX_RULES; i++) await createRule(c.client, { name: `R${i}`, addTags: ['x'] });
    const message = await refusedRule(
      c.client,
      CREATE_RULE,
      { input: { name: 'One more', addTags: ['x'] } },
      BAD_USER_INPUT,
    );
    expect(message).toContain(`at most ${MAX_RULES} rules`);
    // Another user is not counted against.
    const d = await person();
    await createRule(d.client, { name: 'First', addTags: ['x'] });
  });
});

describe('rules on createTransaction', () => {
  let a: Person;
  let b: Person;
  beforeAll(async () => {
    [a, b] = await Promise.all([person(), person()]);
    // In position order: rename coffee shops, categorize and tag them, stop; a later rule never runs.
    await createRule(a.client, {
      name: 'Later',
      position: 30,
      addTags: ['late'],
      setCategoryId: a.categories.Other,
    });
    await createRule(a.client, {
      name: 'Coffee',
      position: 20,
      conditions: [{ operator: 'CONTAINS', value: 'coffee' }],
      setCategoryId: a.categories.Dining,
      addTags: ['coffee'],
      stopProcessing: true,
    });
    await createRule(a.client, {
      name: 'Rename',
      position: 10,
      conditions: [{ operator: 'REGEX', value: '^(sq|sumup) \\*' }],
      setDescription: 'Coffee shop',
      addTags: ['card'],
    });
    await createRule(a.client, {
      name: 'Pay',
      position: 5,
      types: ['INCOME'],
      conditions: [{ operator: 'STARTS_WITH', value: 'ACME' }],
      setCategoryId: a.categories.Salary,
      addTags: ['salary'],
      stopProcessing: true,
    });
    await createRule(a.client, {
      name: 'Big and exact',
      position: 1,
      minAmount: '100',
      maxAmount: '200',
      accountIds: [a.other],
      conditions: [{ operator: 'EQUALS', value: 'RENT' }],
      addTags: ['rent'],
    });
  });

  it('applies the enabled rules in position order, each on the result of the earlier; stopProcessing ends the run', async () => {
    const t = await createTransaction(a.client, {
      accountId: a.account,
      type: 'EXPENSE',
      amount: '4.20',
      description: 'SQ *Blue Bottle 123',
      tags: ['mine'],
    });
    expect(t.description).toBe('Coffee shop');
    expect(t.category).toEqual({ id: a.categories.Dining });
    expect(t.tags).toEqual(['mine', 'card', 'coffee']);
    // The stored row, the balance and the listed row all show the rules' result.
    expect((await a.client.data(TRANSACTION, { id: t.id })).transaction).toEqual(t);
    // Without a match of Coffee, the later rule applies.
    const other = await createTransaction(a.client, {
      accountId: a.account,
      type: 'EXPENSE',
      amount: '9',
      description: 'Hardware',
    });
    expect(other).toMatchObject({
      category: { id: a.categories.Other },
      tags: ['late'],
      description: 'Hardware',
    });
  });

  it('a categoryId the client sends wins; tags are added; a rename still applies', async () => {
    const t = await createTransaction(a.client, {
      accountId: a.account,
      type: 'EXPENSE',
      amount: '3',
      description: 'sumup *corner coffee',
      categoryId: a.categories.Groceries,
      tags: ['coffee', 'x'],
    });
    expect(t).toMatchObject({
      category: { id: a.categories.Groceries },
      tags: ['coffee', 'x', 'card'],
      description: 'Coffee shop',
    });
  });

  it('sets a category only on a transaction of its kind; a transfer gets none', async () => {
    const income = await createTransaction(a.client, {
      accountId: a.account,
      type: 'INCOME',
      amount: '10',
      description: 'refund',
    });
    // Later sets an EXPENSE category: not on an INCOME; its tag still applies.
    expect(income).toMatchObject({ category: null, tags: ['late'] });
    const pay = await createTransaction(a.client, {
      accountId: a.account,
      type: 'INCOME',
      amount: '2500',
      description: 'acme corp payroll',
    });
    expect(pay).toMatchObject({ category: { id: a.categories.Salary }, tags: ['salary'] });
    const transfer = await createTransaction(a.client, {
      accountId: a.account,
      type: 'TRANSFER',
      transferAccountId: a.other,
      amount: '150',
      description: 'rent',
    });
    expect(transfer).toMatchObject({ category: null, tags: ['rent', 'late'] });
  });

  it('amount bounds are inclusive, and accountIds match either side', async () => {
    const cases: [string, string, boolean][] = [
      ['99.99', a.other, false],
      ['100', a.other, true],
      ['200.00', a.other, true],
      ['200.01', a.other, false],
      ['150', a.account, false],
    ];
    for (const [amount, accountId, tagged] of cases) {
      const t = await createTransaction(a.client, {
        accountId,
        type: 'EXPENSE',
        amount,
        description: 'Rent',
      });
      expect(t.tags.includes('rent'), `${amount} on ${accountId}`).toBe(tagged);
    }
  });

  it('a disabled rule does not apply', async () => {
    const rule = await createRule(a.client, { name: 'Off', position: 0, enabled: false, addTags: ['off'] });
    const t = await createTransaction(a.client, {
      accountId: a.account,
      type: 'EXPENSE',
      amount: '1',
      description: 'x',
    });
    expect(t.tags).not.toContain('off');
    await a.client.data(DELETE_RULE, { id: rule.id });
  });

  it('an idempotent replay answers the first result, even after the rules changed', async () => {
    const input = { accountId: a.account, type: 'EXPENSE', amount: '5', description: 'SQ *Replay' };
    const first = await createTransaction(a.client, input, 'rules-replay-1');
    const rule = await createRule(a.client, {
      name: 'New',
      position: 0,
      setDescription: 'Changed',
      addTags: ['new'],
    });
    const again = await createTransaction(a.client, input, 'rules-replay-1');
    expect(again).toEqual(first);
    await a.client.data(DELETE_RULE, { id: rule.id });
  });

  it("another user's rules never touch your transactions", async () => {
    const t = await createTransaction(b.client, {
      accountId: b.account,
      type: 'EXPENSE',
      amount: '4',
      description: 'SQ *coffee',
    });
    expect(t).toMatchObject({ description: 'SQ *coffee', tags: [], category: null });
    expect((await b.client.data(APPLY_RULES, { dryRun: false })).applyRules).toMatchObject({
      matched: 0,
      changed: 0,
    });
  });

  it('a pattern that backtracking engines take forever on is answered at once, correctly', async () => {
    const rule = await createRule(a.client, {
      name: 'Catastrophic',
      position: 0,
      conditions: [
        { operator: 'REGEX', value: '(a+)+$' },
        { operator: 'REGEX', value: '^(a|aa)+$' },
      ],
      addTags: ['all-a'],
    });
    const long = 'a'.repeat(499);
    const [miss, hit, meanwhile] = await Promise.all([
      createTransaction(a.client, {
        accountId: a.account,
        type: 'EXPENSE',
        amount: '1',
        description: `${long}!`,
      }),
      createTransaction(a.client, { accountId: a.account, type: 'EXPENSE', amount: '1', description: long }),
      b.client.data('{ accounts { id } }'),
    ]);
    expect(miss.tags).not.toContain('all-a');
    expect(hit.tags).toContain('all-a');
    expect(meanwhile.accounts).toHaveLength(2);
    await a.client.data(DELETE_RULE, { id: rule.id });

    // The engine itself, on a 50,000-character text: linear, and right.
    const engineRule: StoredRule = {
      id: 'r',
      conditions: [{ field: 'DESCRIPTION', operator: 'REGEX', value: '(a+)+$' }],
      min_amount: null,
      max_amount: null,
      account_ids: [],
      types: [],
      set_category_id: null,
      category_kind: null,
      add_tags: ['hit'],
      set_description: null,
      stop_processing: false,
    };
    const subject = (description: string) => ({
      type: 'EXPENSE',
      amount: '1.00',
      accountId: 'x',
      transferAccountId: null,
      categoryId: null,
      description,
      payee: null,
      tags: [],
    });
    const text = 'a'.repeat(50_000);
    expect(applyRules([engineRule], subject(`${text}!`)).matched).toBe(false);
    expect(applyRules([engineRule], subject(text)).result.tags).toEqual(['hit']);
    expect(compilePattern('(a)\\1').ok).toBe(false);
  });
});

describe('applyRules over existing transactions', () => {
  let a: Person;
  let b: Person;
  beforeAll(async () => {
    [a, b] = await Promise.all([person(), person()]);
    const rows: [string, string, string, string?][] = [
      ['EXPENSE', '12.30', 'Market Hall'],
      ['EXPENSE', '45.00', 'market street grocer'],
      ['EXPENSE', '7.00', 'Cinema', 'Entertainment'],
      ['EXPENSE', '20.00', 'market', 'Dining'],
      ['INCOME', '100.00', 'Market refund'],
      ['EXPENSE', '3.00', 'Bus'],
    ];
    for (const [type, amount, description, category] of rows) {
      await createTransaction(a.client, {
        accountId: a.account,
        type,
        amount,
        description,
        date: '2026-02-10',
        ...(category ? { categoryId: a.categories[category] } : {}),
      });
    }
    await createTransaction(a.client, {
      accountId: a.account,
      type: 'TRANSFER',
      transferAccountId: a.other,
      amount: '5',
      description: 'market transfer',
      date: '2026-03-01',
    });
    await createTransaction(b.client, {
      accountId: b.account,
      type: 'EXPENSE',
      amount: '1',
      description: 'market',
    });
    // Rules made after the transactions: only applyRules reaches them.
    await createRule(a.client, {
      name: 'Market',
      conditions: [{ operator: 'CONTAINS', value: 'market' }],
      setCategoryId: a.categories.Groceries,
      addTags: ['food'],
    });
    await createRule(a.client, {
      name: 'Bus',
      conditions: [{ operator: 'EQUALS', value: 'bus' }],
      setDescription: 'City bus',
    });
  });

  it('a dry run lists the changes and writes nothing; the real run writes exactly those; the ledger has no drift', async () => {
    const before = await a.client.data(ALL_TRANSACTIONS);
    const others = await b.client.data(ALL_TRANSACTIONS);
    const dry = (await a.client.data(APPLY_RULES, {})).applyRules;
    expect(dry).toMatchObject({
      dryRun: true,
      scanned: 7,
      matched: 6,
      truncated: false,
      lastDate: '2026-03-01',
    });
    expect(await a.client.data(ALL_TRANSACTIONS)).toEqual(before);

    const byDescription = Object.fromEntries(
      before.transactions.nodes.map((t: { id: string; description: string }) => [t.id, t.description]),
    );
    const summary = dry.changes.map((c: any) => [
      byDescription[c.transactionId],
      c.after.categoryId,
      c.after.tags,
      c.after.description,
    ]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['Market Hall', a.categories.Groceries, ['food'], 'Market Hall'],
        ['market street grocer', a.categories.Groceries, ['food'], 'market street grocer'],
        // Already categorized: its category stays, the tag is added.
        ['market', a.categories.Dining, ['food'], 'market'],
        // An INCOME does not take an EXPENSE category; a transfer takes none.
        ['Market refund', null, ['food'], 'Market refund'],
        ['market transfer', null, ['food'], 'market transfer'],
        ['Bus', null, [], 'City bus'],
      ]),
    );
    expect(dry.changed).toBe(6);
    expect(dry.changes).toHaveLength(6);

    const real = (await a.client.data(APPLY_RULES, { dryRun: false })).applyRules;
    expect({ ...real, dryRun: true }).toEqual(dry);
    const after = await a.client.data(ALL_TRANSACTIONS);
    for (const t of after.transactions.nodes) {
      const change = real.changes.find((c: { transactionId: string }) => c.transactionId === t.id);
      const old = before.transactions.nodes.find((o: { id: string }) => o.id === t.id);
      if (!change) {
        expect(t).toEqual(old);
        continue;
      }
      expect({ categoryId: t.category?.id ?? null, tags: t.tags, description: t.description }).toEqual(
        change.after,
      );
      expect({ amount: t.amount, date: t.date, type: t.type }).toEqual({
        amount: old.amount,
        date: old.date,
        type: old.type,
      });
    }
    // Balances unchanged (no amount moved); totals moved by category: recounted, no drift.
    expect(after.transactions.nodes.map((t: any) => t.account.balance)).toEqual(
      before.transactions.nodes.map((t: any) => t.account.balance),
    );
    expect(await drift()).toEqual({ balances: [], totals: [] });
    expect(await b.client.data(ALL_TRANSACTIONS)).toEqual(others);

    // Applied again: nothing left to change (the renamed bus no longer matches its rule).
    expect((await a.client.data(APPLY_RULES, { dryRun: false })).applyRules).toMatchObject({
      matched: 5,
      changed: 0,
      changes: [],
    });
  });

  it('takes the filter of transactions, and is refused for bad filters as the list is', async () => {
    const taxi = { accountId: a.account, type: 'EXPENSE', amount: '1', description: 'Taxi' };
    const april = await createTransaction(a.client, { ...taxi, date: '2026-04-01' });
    const january = await createTransaction(a.client, { ...taxi, date: '2026-01-01' });
    const rule = await createRule(a.client, {
      name: 'Taxi',
      conditions: [{ operator: 'EQUALS', value: 'TAXI' }],
      addTags: ['taxi'],
    });
    const run = (
      await a.client.data(APPLY_RULES, { filter: { from: '2026-04-01', types: ['EXPENSE'] }, dryRun: false })
    ).applyRules;
    expect(run).toMatchObject({ scanned: 1, matched: 1, changed: 1 });
    expect(run.changes[0]).toEqual({
      transactionId: april.id,
      before: { categoryId: null, tags: [], description: 'Taxi' },
      after: { categoryId: null, tags: ['taxi'], description: 'Taxi' },
    });
    expect((await a.client.data(TRANSACTION, { id: january.id })).transaction.tags).toEqual([]);
    await a.client.data(DELETE_RULE, { id: rule.id });
    await refusedRule(a.client, APPLY_RULES, { filter: { accountIds: [UNKNOWN_ID] } }, NOT_FOUND);
    await refusedRule(
      a.client,
      APPLY_RULES,
      { filter: { search: 'x'.repeat(201) } },
      BAD_USER_INPUT,
      'search',
    );
    expect(await drift()).toEqual({ balances: [], totals: [] });
  });

  it('an idempotent replay after applyRules still answers the first result', async () => {
    const input = {
      accountId: a.account,
      type: 'EXPENSE',
      amount: '2',
      description: 'Bus',
      date: '2026-05-01',
    };
    const first = await createTransaction(a.client, input, 'apply-replay');
    expect(first.description).toBe('City bus');
    await a.client.data(APPLY_RULES, { dryRun: false });
    expect(await createTransaction(a.client, input, 'apply-replay')).toEqual(first);
  });
});

describe('applyRules paging', () => {
  it('goes on from endCursor, even past 5,000 transactions of one date', async () => {
    const a = await person();
    const content = `Date,Amount\n${Array.from({ length: 5_003 }, () => '2026-04-01,-1.00').join('\n')}\n`;
    const imported = await a.client.data(
      'mutation ($input: ImportFileInput!) { commitImport(input: $input) { createdCount } }',
      {
        input: { accountId: a.account, format: 'CSV', mapping: { date: 'Date', amount: 'Amount' }, content },
      },
    );
    expect(imported.commitImport.createdCount).toBe(5_003);
    const PAGE = `mutation ($after: String) { applyRules(filter: { from: "2026-04-01" }, after: $after) {
      scanned truncated lastDate endCursor } }`;
    const first = (await a.client.data(PAGE, {})).applyRules;
    expect(first).toMatchObject({ scanned: 5_000, truncated: true, lastDate: '2026-04-01' });
    const second = (await a.client.data(PAGE, { after: first.endCursor })).applyRules;
    expect(second).toMatchObject({ scanned: 3, truncated: false, lastDate: '2026-04-01' });
    const done = (await a.client.data(PAGE, { after: second.endCursor })).applyRules;
    expect(done).toMatchObject({ scanned: 0, truncated: false, endCursor: second.endCursor });
    const refusedCursor = await a.client.request(PAGE, { after: '2026-04-01~nope' });
    expect(refusedCursor.errors?.[0]?.extensions).toMatchObject({ code: BAD_USER_INPUT, field: 'after' });
  }, 60_000);
});
