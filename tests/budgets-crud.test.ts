/**
 * Budgets through the GraphQL API: create, read, update and delete, their validation, history's
 * bounds, authentication, and other users' budgets behaving as unknown ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, World, type Rule } from './helpers/budget-world.js';
import { BAD_USER_INPUT, NOT_FOUND, UNAUTHENTICATED } from './helpers/error-codes.js';
import { utcToday } from './helpers/model/calendar.js';
import {
  BUDGET,
  BUDGET_HISTORY,
  BUDGET_STATUS,
  BUDGETS,
  CREATE_BUDGET,
  DELETE_BUDGET,
  UPDATE_BUDGET,
} from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** A weekly budget of 1.00 over every expense. */
const WEEKLY_100: Rule = {
  categoryId: null,
  amount: 100n,
  period: 'WEEKLY',
  startDate: '2026-01-01',
  rollover: false,
};

describe('budget CRUD and validation', () => {
  let world: World;
  let food: string;
  let salary: string;
  beforeAll(async () => {
    world = await World.create(server, 'crud');
    food = await world.category('Food');
    salary = await world.category('Bonus', 'INCOME');
  });

  it('creates with the defaults: thresholds [80, 100], no rollover, startDate the first of this month', async () => {
    const before = utcToday();
    const data = await world.client.data(CREATE_BUDGET, { input: { amount: '250.5', period: 'MONTHLY' } });
    const after = utcToday();
    const b = data.createBudget;
    expect(b.amount).toBe('250.50');
    expect(b.period).toBe('MONTHLY');
    expect(b.rollover).toBe(false);
    expect(b.alertThresholds).toEqual([80, 100]);
    expect(b.category).toBeNull();
    expect(typeof b.name).toBe('string');
    expect(b.name.length).toBeGreaterThan(0);
    expect([`${before.slice(0, 8)}01`, `${after.slice(0, 8)}01`]).toContain(b.startDate);
    expect((await world.client.data(BUDGET, { id: b.id })).budget).toEqual(b);
  });

  it('stores what it is given; thresholds sorted without duplicates; 1 and 1000 allowed', async () => {
    const data = await world.client.data(CREATE_BUDGET, {
      input: {
        name: 'Eating',
        categoryId: food,
        amount: '0.01',
        period: 'WEEKLY',
        startDate: '2024-02-29',
        rollover: true,
        alertThresholds: [1000, 50, 1, 80, 50, 1000],
      },
    });
    const b = data.createBudget;
    expect(b).toMatchObject({
      name: 'Eating',
      amount: '0.01',
      period: 'WEEKLY',
      startDate: '2024-02-29',
      rollover: true,
      alertThresholds: [1, 50, 80, 1000],
      category: { id: food },
    });
    expect((await world.client.data(BUDGET, { id: b.id })).budget).toEqual(b);
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const tenData = await world.client.data(CREATE_BUDGET, {
      input: { amount: '1', period: 'YEARLY', alertThresholds: ten },
    });
    expect(tenData.createBudget.alertThresholds).toEqual([...ten].sort((x, y) => x - y));
  });

  const base = { amount: '10', period: 'MONTHLY' };
  it.each([
    ['amount 0', () => ({ ...base, amount: '0' }), 'amount'],
    ['amount 0.00', () => ({ ...base, amount: '0.00' }), 'amount'],
    ['amount -5', () => ({ ...base, amount: '-5' }), 'amount'],
    ['amount 1.005', () => ({ ...base, amount: '1.005' }), 'amount'],
    ['threshold 0', () => ({ ...base, alertThresholds: [0] }), 'alertThresholds'],
    ['threshold 1001', () => ({ ...base, alertThresholds: [80, 1001] }), 'alertThresholds'],
    ['threshold -5', () => ({ ...base, alertThresholds: [-5] }), 'alertThresholds'],
    [
      '11 thresholds',
      () => ({ ...base, alertThresholds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }),
      'alertThresholds',
    ],
    ['an income category', () => ({ ...base, categoryId: salary }), 'categoryId'],
    ['startDate 2025-02-29', () => ({ ...base, startDate: '2025-02-29' }), 'startDate'],
  ])('refuses %s with BAD_USER_INPUT and the field, and creates nothing', async (_name, input, field) => {
    const count = (await world.client.data(BUDGETS)).budgets.length;
    expectError(await world.client.request(CREATE_BUDGET, { input: input() }), BAD_USER_INPUT, field);
    expect((await world.client.data(BUDGETS)).budgets.length).toBe(count);
  });

  it('a non-integer threshold: BAD_USER_INPUT with field alertThresholds', async () => {
    const result = await world.client.request(CREATE_BUDGET, {
      input: { amount: '10', period: 'MONTHLY', alertThresholds: [80, 50.5] },
    });
    expectError(result, BAD_USER_INPUT, 'alertThresholds');
  });

  it.each([
    ["another user's category", async () => (await World.create(server, 'other')).category('Theirs')],
    ['an unknown id', async () => '00000000-0000-4000-8000-000000000000'],
    ['a malformed id', async () => 'not-a-uuid'],
  ])('refuses %s as categoryId: NOT_FOUND', async (_name, categoryId) => {
    expectError(
      await world.client.request(CREATE_BUDGET, {
        input: { amount: '10', period: 'MONTHLY', categoryId: await categoryId() },
      }),
      NOT_FOUND,
    );
  });

  it('updates only the fields given; categoryId null counts every expense', async () => {
    const id = await world.createBudget(
      { categoryId: food, amount: 10000n, period: 'MONTHLY', startDate: '2026-01-31', rollover: false },
      { name: 'Food budget', alertThresholds: [50] },
    );
    const original = (await world.client.data(BUDGET, { id })).budget;

    let updated = (await world.client.data(UPDATE_BUDGET, { id, input: { amount: '99.9' } })).updateBudget;
    expect(updated).toEqual({ ...original, amount: '99.90' });
    updated = (
      await world.client.data(UPDATE_BUDGET, {
        id,
        input: { period: 'YEARLY', startDate: '2024-02-29', rollover: true, alertThresholds: [90, 10, 90] },
      })
    ).updateBudget;
    expect(updated).toEqual({
      ...original,
      amount: '99.90',
      period: 'YEARLY',
      startDate: '2024-02-29',
      rollover: true,
      alertThresholds: [10, 90],
    });
    updated = (await world.client.data(UPDATE_BUDGET, { id, input: { categoryId: null } })).updateBudget;
    expect(updated.category).toBeNull();
    updated = (await world.client.data(UPDATE_BUDGET, { id, input: { name: 'Renamed' } })).updateBudget;
    expect(updated).toMatchObject({ name: 'Renamed', category: null, amount: '99.90', period: 'YEARLY' });
    const snapshot = (await world.client.data(BUDGET, { id })).budget;
    expect(snapshot).toEqual(updated);
  });

  describe('an update is validated like create', () => {
    let id: string;
    let snapshot: unknown;
    beforeAll(async () => {
      id = await world.createBudget(
        { categoryId: food, amount: 10000n, period: 'MONTHLY', startDate: '2026-01-31', rollover: false },
        { name: 'Validated', alertThresholds: [50] },
      );
      snapshot = (await world.client.data(BUDGET, { id })).budget;
    });

    it.each([
      ['amount 0', () => ({ amount: '0' }), BAD_USER_INPUT, 'amount'],
      ['amount -0.01', () => ({ amount: '-0.01' }), BAD_USER_INPUT, 'amount'],
      ['threshold 0', () => ({ alertThresholds: [0, 50] }), BAD_USER_INPUT, 'alertThresholds'],
      ['threshold 1001', () => ({ alertThresholds: [1001] }), BAD_USER_INPUT, 'alertThresholds'],
      [
        '11 thresholds',
        () => ({ alertThresholds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }),
        BAD_USER_INPUT,
        'alertThresholds',
      ],
      ['an income category', () => ({ categoryId: salary }), BAD_USER_INPUT, 'categoryId'],
      [
        'an unknown category',
        () => ({ categoryId: '00000000-0000-4000-8000-000000000000' }),
        NOT_FOUND,
        undefined,
      ],
    ])('refuses %s and changes nothing', async (_name, input, code, field) => {
      expectError(await world.client.request(UPDATE_BUDGET, { id, input: input() }), code, field);
      expect((await world.client.data(BUDGET, { id })).budget, JSON.stringify(input())).toEqual(snapshot);
    });
  });

  it('deletes: true, then budget/updateBudget/deleteBudget are NOT_FOUND and the list omits it', async () => {
    const id = await world.createBudget(WEEKLY_100);
    expect((await world.client.data(BUDGETS)).budgets.map((b: { id: string }) => b.id)).toContain(id);
    expect((await world.client.data(DELETE_BUDGET, { id })).deleteBudget).toBe(true);
    expectError(await world.client.request(BUDGET, { id }), NOT_FOUND);
    expectError(await world.client.request(UPDATE_BUDGET, { id, input: { amount: '5' } }), NOT_FOUND);
    expectError(await world.client.request(DELETE_BUDGET, { id }), NOT_FOUND);
    expect((await world.client.data(BUDGETS)).budgets.map((b: { id: string }) => b.id)).not.toContain(id);
    expectError(await world.client.request(BUDGET, { id: 'nope' }), NOT_FOUND);
  });

  it.each([0, -1, 37, 1000])('history: refuses periods %i with BAD_USER_INPUT', async (periods) => {
    const id = await world.createBudget(WEEKLY_100);
    expectError(await world.client.request(BUDGET_HISTORY, { id, periods }), BAD_USER_INPUT, 'periods');
  });

  it('history: periods 1..36; default 6', async () => {
    const id = await world.createBudget(WEEKLY_100);
    for (const periods of [1, 36]) {
      expect((await world.client.data(BUDGET_HISTORY, { id, periods })).budget.history).toHaveLength(periods);
    }
    const byDefault = await world.client.data(
      `query ($id: ID!) { budget(id: $id) { history { periodStart } } }`,
      {
        id,
      },
    );
    expect(byDefault.budget.history).toHaveLength(6);
  });

  it('needs authentication', async () => {
    expectError(await server.client().request(BUDGETS), UNAUTHENTICATED);
    expectError(
      await server.client().request(CREATE_BUDGET, { input: { amount: '1', period: 'MONTHLY' } }),
      UNAUTHENTICATED,
    );
  });
});

describe("other users' budgets", () => {
  it('behave as unknown ids: NOT_FOUND for budget, updateBudget and deleteBudget; nothing changes', async () => {
    const alice = await World.create(server, 'alice');
    const bob = await World.create(server, 'bob');
    const aliceFood = await alice.category('Food');
    const id = await alice.createBudget({
      categoryId: aliceFood,
      amount: 5000n,
      period: 'MONTHLY',
      startDate: '2026-01-01',
      rollover: false,
    });
    const before = (await alice.client.data(BUDGET, { id })).budget;

    expectError(await bob.client.request(BUDGET, { id }), NOT_FOUND);
    expectError(await bob.client.request(BUDGET_STATUS, { id, date: '2026-02-01' }), NOT_FOUND);
    expectError(await bob.client.request(UPDATE_BUDGET, { id, input: { amount: '1' } }), NOT_FOUND);
    expectError(await bob.client.request(UPDATE_BUDGET, { id, input: { categoryId: null } }), NOT_FOUND);
    expectError(await bob.client.request(DELETE_BUDGET, { id }), NOT_FOUND);
    expect((await bob.client.data(BUDGETS)).budgets).toEqual([]);
    expect((await alice.client.data(BUDGET, { id })).budget).toEqual(before);

    // Bob's own budget cannot take Alice's category either.
    const bobs = await bob.createBudget({
      categoryId: null,
      amount: 100n,
      period: 'MONTHLY',
      startDate: '2026-01-01',
      rollover: false,
    });
    expectError(
      await bob.client.request(UPDATE_BUDGET, { id: bobs, input: { categoryId: aliceFood } }),
      NOT_FOUND,
    );
    expect((await bob.client.data(BUDGET, { id: bobs })).budget.category).toBeNull();
  });
});
