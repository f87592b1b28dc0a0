/**
 * Which expenses a budget counts, through the GraphQL API: its category tree, the user's
 * currency, transaction edits, category moves and deletion; and the periods of statuses on month
 * ends, leap days and weekdays, near today and far from it. Every expected status comes from the
 * budget model (tests/helpers/budget-world.ts) over the transactions written here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRule, expectError, expectStatus, World, type Rule } from './helpers/budget-world.js';
import { NOT_FOUND } from './helpers/error-codes.js';
import { money } from './helpers/model/money.js';
import { BUDGET, BUDGETS, UPDATE_BUDGET, UPDATE_CATEGORY } from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('which expenses count', () => {
  let world: World;
  let usd: string;
  let usd2: string;
  let eur: string;
  let food: string;
  let restaurants: string;
  let sushi: string;
  let coffee: string;
  let rent: string;
  let bonus: string;
  // MONTHLY from 2026-01-15: the period containing 2026-03-20 is 2026-03-15 .. 2026-04-14.
  const rule = (categoryId: string | null): Rule => ({
    categoryId,
    amount: 10000n,
    period: 'MONTHLY',
    startDate: '2026-01-15',
    rollover: false,
  });

  beforeAll(async () => {
    world = await World.create(server, 'spending');
    usd = await world.account();
    usd2 = await world.account();
    eur = await world.account('EUR');
    food = await world.category('Food');
    restaurants = await world.category('Restaurants', 'EXPENSE', food);
    sushi = await world.category('Sushi', 'EXPENSE', restaurants);
    coffee = await world.category('Coffee', 'EXPENSE', food);
    rent = await world.category('Rent');
    bonus = await world.category('Bonus', 'INCOME');

    await world.expense(usd, 1000n, '2026-03-15', food); // first day: counts
    await world.expense(usd, 2050n, '2026-04-14', restaurants); // last day: counts
    await world.expense(usd, 333n, '2026-03-20', sushi); // grandchild
    await world.expense(usd, 700n, '2026-03-21', coffee); // child (a sibling of Restaurants)
    await world.expense(usd2, 111n, '2026-03-22', food); // another account in USD
    await world.expense(usd, 10000n, '2026-03-22', rent); // a sibling of Food
    await world.expense(usd, 555n, '2026-03-23', null); // uncategorized
    await world.expense(usd, 99900n, '2026-03-14', food); // the day before: not this period
    await world.expense(usd, 88800n, '2026-04-15', sushi); // the day after
    await world.expense(eur, 4000n, '2026-03-24', food); // another currency
    await world.expense(eur, 4100n, '2026-03-24', null);
    await world.tx('INCOME', usd, 500000n, '2026-03-25', { categoryId: bonus });
    await world.tx('INCOME', usd, 700n, '2026-03-25');
    await world.tx('TRANSFER', usd, 30000n, '2026-03-26', { transferAccountId: usd2 });
    await world.tx('TRANSFER', usd2, 1200n, '2026-03-26', { transferAccountId: usd });

    // Another user's expenses on the same days never count.
    const stranger = await World.create(server, 'stranger');
    const theirs = await stranger.account();
    await stranger.expense(theirs, 77700n, '2026-03-20');
    await stranger.expense(theirs, 77700n, '2026-04-14', await stranger.category('Food'));
  }, 120_000);

  it('a category counts itself, its children and grandchildren; not siblings, income, transfers or other currencies', async () => {
    const cases: [string | null, bigint][] = [
      [food, 1000n + 2050n + 333n + 700n + 111n],
      [restaurants, 2050n + 333n],
      [sushi, 333n],
      [coffee, 700n],
      [rent, 10000n],
      [null, 1000n + 2050n + 333n + 700n + 111n + 10000n + 555n],
    ];
    for (const [categoryId, explicit] of cases) {
      const id = await world.createBudget(rule(categoryId));
      for (const date of ['2026-03-15', '2026-03-31', '2026-04-14']) {
        const status = await world.status(id, date);
        expect(status.periodStart).toBe('2026-03-15');
        expect(status.periodEnd).toBe('2026-04-14');
        expect(status.spent, `category ${categoryId} on ${date}`).toBe(money(explicit));
        expectStatus(status, world.expected(rule(categoryId), date), `category ${categoryId} on ${date}`);
      }
      // The neighbouring periods see the edge expenses on the other side.
      for (const date of ['2026-03-14', '2026-04-15', '2026-02-20', '2026-05-01']) {
        expectStatus(
          await world.status(id, date),
          world.expected(rule(categoryId), date),
          `${categoryId} ${date}`,
        );
      }
    }
  });

  it('follows transaction updates and deletes', async () => {
    const id = await world.createBudget(rule(food));
    const check = async (label: string) => {
      for (const date of ['2026-03-15', '2026-04-15', '2026-02-14']) {
        expectStatus(await world.status(id, date), world.expected(rule(food), date), `${label} ${date}`);
      }
    };
    const tx = await world.expense(usd, 1234n, '2026-03-30', food);
    await check('created');
    await world.updateTx(tx, { amount: 4321n });
    await check('amount changed');
    await world.updateTx(tx, { date: '2026-04-15' });
    await check('moved to the next period');
    await world.updateTx(tx, { categoryId: rent });
    await check('moved to a sibling category');
    await world.updateTx(tx, { categoryId: sushi, date: '2026-03-15' });
    await check('moved to a grandchild');
    await world.updateTx(tx, { accountId: eur });
    await check('moved to the EUR account');
    await world.updateTx(tx, { accountId: usd2, type: 'INCOME', categoryId: null });
    await check('turned into income');
    await world.updateTx(tx, { type: 'EXPENSE', categoryId: coffee });
    await check('an expense again');
    await world.updateTx(tx, { type: 'TRANSFER', categoryId: null, transferAccountId: usd });
    await check('turned into a transfer');
    await world.updateTx(tx, { type: 'EXPENSE', categoryId: food });
    await check('an expense once more');
    await world.deleteTx(tx);
    await check('deleted');
  });

  it("counts only the user's currency, and follows updateProfile", async () => {
    const foodRule = rule(food);
    const all = rule(null);
    const foodId = await world.createBudget(foodRule);
    const allId = await world.createBudget(all);
    const check = async (label: string) => {
      for (const [id, r] of [
        [foodId, foodRule],
        [allId, all],
      ] as const) {
        expectStatus(await world.status(id, '2026-03-20'), world.expected(r, '2026-03-20'), label);
      }
    };
    await check('USD');
    const usdSpent = (await world.status(allId, '2026-03-20')).spent;
    await world.setCurrency('EUR');
    await check('EUR');
    expect((await world.status(allId, '2026-03-20')).spent).toBe(money(4000n + 4100n));
    expect((await world.status(foodId, '2026-03-20')).spent).toBe(money(4000n));
    await world.setCurrency('GBP');
    await check('GBP: no account in it');
    expect((await world.status(allId, '2026-03-20')).spent).toBe('0.00');
    await world.setCurrency('USD');
    await check('USD again');
    expect((await world.status(allId, '2026-03-20')).spent).toBe(usdSpent);
  });

  it('follows the category tree when a category moves to another parent', async () => {
    const ids = new Map<string | null, string>();
    for (const c of [food, restaurants, rent, null]) ids.set(c, await world.createBudget(rule(c)));
    const check = async (label: string) => {
      for (const [c, id] of ids) {
        expectStatus(
          await world.status(id, '2026-03-20'),
          world.expected(rule(c), '2026-03-20'),
          `${label} ${c}`,
        );
      }
    };
    await check('before');
    // Restaurants (with Sushi below it) moves from Food to Rent.
    await world.client.data(UPDATE_CATEGORY, { id: restaurants, input: { parentId: rent } });
    world.parents.set(restaurants, rent);
    await check('moved under Rent');
    expect((await world.status(ids.get(rent)!, '2026-03-20')).spent).toBe(money(10000n + 2050n + 333n));
    await world.client.data(UPDATE_CATEGORY, { id: restaurants, input: { parentId: null } });
    world.parents.set(restaurants, null);
    await check('moved to the top');
    expect((await world.status(ids.get(food)!, '2026-03-20')).spent).toBe(money(1000n + 700n + 111n));
  });
});

describe('deleting a category', () => {
  it('deletes its budgets; others stay and count by the new tree', async () => {
    const world = await World.create(server, 'delete-category');
    const usd = await world.account();
    const food = await world.category('Food');
    const restaurants = await world.category('Restaurants', 'EXPENSE', food);
    const sushi = await world.category('Sushi', 'EXPENSE', restaurants);
    await world.expense(usd, 1000n, '2026-06-03', food);
    await world.expense(usd, 2000n, '2026-06-04', restaurants);
    await world.expense(usd, 4000n, '2026-06-05', sushi);
    await world.expense(usd, 8000n, '2026-06-06');

    const make = (categoryId: string | null): Rule => ({
      categoryId,
      amount: 50000n,
      period: 'MONTHLY',
      startDate: '2026-01-01',
      rollover: true,
    });
    const ids = {
      food: await world.createBudget(make(food)),
      restaurants: await world.createBudget(make(restaurants)),
      restaurants2: await world.createBudget(make(restaurants)),
      sushi: await world.createBudget(make(sushi)),
      all: await world.createBudget(make(null)),
    };
    await world.deleteCategory(restaurants);

    expectError(await world.client.request(BUDGET, { id: ids.restaurants }), NOT_FOUND);
    expectError(await world.client.request(BUDGET, { id: ids.restaurants2 }), NOT_FOUND);
    expectError(
      await world.client.request(UPDATE_BUDGET, { id: ids.restaurants, input: { amount: '1' } }),
      NOT_FOUND,
    );
    const listed = (await world.client.data(BUDGETS)).budgets.map((b: { id: string }) => b.id).sort();
    expect(listed).toEqual([ids.food, ids.sushi, ids.all].sort());

    for (const [id, categoryId] of [
      [ids.food, food],
      [ids.sushi, sushi],
      [ids.all, null],
    ] as const) {
      for (const date of ['2026-06-15', '2026-09-01']) {
        expectStatus(
          await world.status(id, date),
          world.expected(make(categoryId), date),
          `${categoryId} ${date}`,
        );
      }
    }
    // Explicitly: Food keeps its own and (moved-up) Sushi's, loses Restaurants' now uncategorized one.
    expect((await world.status(ids.food, '2026-06-15')).spent).toBe(money(1000n + 4000n));
    expect((await world.status(ids.all, '2026-06-15')).spent).toBe(money(15000n));
  });
});

describe('periods through the API', () => {
  it('day 31, 29 Feb and a Wednesday, edges inclusive', async () => {
    const world = await World.create(server, 'periods');
    const usd = await world.account();
    const rules: Rule[] = [
      { categoryId: null, amount: 1000n, period: 'MONTHLY', startDate: '2025-01-31', rollover: true },
      { categoryId: null, amount: 1000n, period: 'MONTHLY', startDate: '2024-01-31', rollover: true },
      { categoryId: null, amount: 100000n, period: 'YEARLY', startDate: '2024-02-29', rollover: true },
      { categoryId: null, amount: 500n, period: 'WEEKLY', startDate: '2026-11-04', rollover: true },
    ];
    const dates = ['2024-02-28', '2024-02-29', '2024-03-30', '2024-03-31', '2025-02-27', '2025-02-28'];
    dates.push('2025-03-30', '2025-03-31', '2025-04-29', '2025-04-30', '2026-11-24', '2026-11-25');
    dates.push('2026-12-01', '2026-12-02', '2028-02-28', '2028-02-29');
    for (const [i, date] of dates.entries()) await world.expense(usd, BigInt(100 + i * 37), date);

    const explicit: [number, string, string, string][] = [
      [0, '2025-02-28', '2025-02-28', '2025-03-30'],
      [0, '2025-04-30', '2025-04-30', '2025-05-30'],
      [0, '2025-04-29', '2025-03-31', '2025-04-29'],
      [1, '2024-02-29', '2024-02-29', '2024-03-30'],
      [2, '2025-02-28', '2025-02-28', '2026-02-27'],
      [2, '2028-02-28', '2027-02-28', '2028-02-28'],
      [3, '2026-11-30', '2026-11-25', '2026-12-01'],
    ];
    const ids = await Promise.all(rules.map((r) => world.createBudget(r)));
    for (const [i, date, start, end] of explicit) {
      const status = await world.status(ids[i]!, date);
      expect(
        [status.periodStart, status.periodEnd],
        `${rules[i]!.period} ${rules[i]!.startDate} ${date}`,
      ).toEqual([start, end]);
    }
    for (const [i, r] of rules.entries()) {
      const probe = [...dates, '2023-06-01', '2027-01-01', '2029-03-01'];
      (await world.statuses(ids[i]!, probe)).forEach((status, j) => {
        expectStatus(status, world.expected(r, probe[j]!), `${r.period} ${r.startDate} ${probe[j]}`);
      });
    }
  });
});

describe('dates far from today, inside the supported range', () => {
  it('status(date) near 1900 and 9999 is the period containing that date', async () => {
    const world = await World.create(server, 'far-years');
    const usd = await world.account();
    await world.expense(usd, 1234n, '1900-05-20');
    await world.expense(usd, 4321n, '9998-06-20');
    const rules: Rule[] = [
      { categoryId: null, amount: 1000n, period: 'MONTHLY', startDate: '2026-01-15', rollover: false },
      { categoryId: null, amount: 1000n, period: 'YEARLY', startDate: '2024-02-29', rollover: false },
      { categoryId: null, amount: 1000n, period: 'MONTHLY', startDate: '1900-01-31', rollover: true },
    ];
    for (const r of rules) {
      const id = await world.createBudget(r);
      // Periods here lie wholly inside the range (tests/input-edges.test.ts covers the cut ones).
      for (const date of ['1900-05-20', '1950-03-01', '9998-06-15']) {
        const status = await world.status(id, date);
        expectStatus(status, world.expected(r, date), `${describeRule(r)} on ${date}`);
      }
    }
  });
});
