/**
 * Budget rollover and history through the GraphQL API: carriedOver chained from startDate,
 * overspending carried on, toggling rollover and moving startDate; then many random budgets,
 * dates and edits against the budget model (tests/helpers/budget-world.ts), with a fixed seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRule, expectStatus, World, type Rule, type Status } from './helpers/budget-world.js';
import { modelPeriod } from './helpers/model/budget.js';
import { addDays, dayNumber, fromDayNumber, utcToday } from './helpers/model/calendar.js';
import { money } from './helpers/model/money.js';
import { BUDGET_HISTORY, STATUS_FIELDS, UPDATE_BUDGET } from './helpers/operations.js';
import { prng } from './helpers/random.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('rollover', () => {
  let world: World;
  let usd: string;
  let food: string;
  let id: string;
  // MONTHLY from 2026-01-10, 100.00 a period. Periods run from the 10th to the 9th.
  let rule: Rule;

  beforeAll(async () => {
    world = await World.create(server, 'rollover');
    usd = await world.account();
    food = await world.category('Food');
    const other = await world.category('Other stuff');
    rule = { categoryId: food, amount: 10000n, period: 'MONTHLY', startDate: '2026-01-10', rollover: true };
    await world.expense(usd, 500n, '2026-01-09', food); // before startDate (period 2025-12-10 .. 2026-01-09)
    await world.expense(usd, 3000n, '2026-01-10', food); // P0: spent 30
    await world.expense(usd, 12000n, '2026-02-10', food); // P1: spent 250 -> remaining -80
    await world.expense(usd, 13000n, '2026-03-09', food);
    await world.expense(usd, 99999n, '2026-03-20', other); // P2: nothing counted
    await world.expense(usd, 1000n, '2026-05-09', food); // P3 (04-10 .. 05-09): spent 10
    await world.expense(usd, 40000n, '2026-05-10', food); // P4: spent 400
    await world.expense(usd, 100n, '2026-07-01', food); // P5 (06-10 .. 07-09): spent 1 with available -90
    await world.expense(usd, 10900n, '2026-07-10', food); // P6: available 9, spent 109 -> remaining -100
    // P7 (08-10 .. 09-09): available 0, nothing spent (yet)
    id = await world.createBudget(rule);
  }, 60_000);

  it('chains carriedOver from startDate, negative after overspending', async () => {
    const explicit: [string, Partial<Status>][] = [
      [
        '2026-01-05',
        { periodStart: '2025-12-10', periodEnd: '2026-01-09', carriedOver: '0.00', spent: '5.00' },
      ],
      [
        '2026-01-10',
        { periodStart: '2026-01-10', periodEnd: '2026-02-09', carriedOver: '0.00', remaining: '70.00' },
      ],
      [
        '2026-02-28',
        { carriedOver: '70.00', available: '170.00', spent: '250.00', remaining: '-80.00', overBudget: true },
      ],
      [
        '2026-03-10',
        {
          carriedOver: '-80.00',
          available: '20.00',
          spent: '0.00',
          remaining: '20.00',
          percentUsed: 0,
          overBudget: false,
        },
      ],
      ['2026-04-10', { carriedOver: '20.00', available: '120.00', spent: '10.00', remaining: '110.00' }],
      ['2026-05-10', { carriedOver: '110.00', available: '210.00', spent: '400.00', remaining: '-190.00' }],
      [
        '2026-06-10',
        {
          carriedOver: '-190.00',
          available: '-90.00',
          spent: '1.00',
          remaining: '-91.00',
          percentUsed: 100,
          overBudget: true,
        },
      ],
      [
        '2026-07-10',
        { carriedOver: '-91.00', available: '9.00', spent: '109.00', remaining: '-100.00', overBudget: true },
      ],
      [
        '2026-08-10',
        { carriedOver: '-100.00', available: '0.00', spent: '0.00', percentUsed: 0, overBudget: false },
      ],
      ['2026-09-10', { carriedOver: '0.00', available: '100.00', spent: '0.00', remaining: '100.00' }],
    ];
    const statuses = await world.statuses(
      id,
      explicit.map(([date]) => date),
    );
    explicit.forEach(([date, partial], i) => {
      expect(statuses[i], date).toMatchObject(partial);
      expectStatus(statuses[i]!, world.expected(rule, date), date);
    });
    expect(statuses[2]!.percentUsed).toBeCloseTo((250 / 170) * 100, 9);
  });

  it('available 0 with spending: percentUsed 100, overBudget; the overspend carries on', async () => {
    const tx = await world.expense(usd, 1n, '2026-09-09', food);
    const [p7, p8] = await world.statuses(id, ['2026-08-10', '2026-09-10']);
    expect(p7).toMatchObject({
      available: '0.00',
      spent: '0.01',
      remaining: '-0.01',
      percentUsed: 100,
      overBudget: true,
    });
    expect(p8).toMatchObject({ carriedOver: '-0.01', available: '99.99' });
    expectStatus(p7!, world.expected(rule, '2026-08-10'), 'P7');
    expectStatus(p8!, world.expected(rule, '2026-09-10'), 'P8');
    await world.deleteTx(tx);
  });

  it('without rollover every carriedOver is 0; toggling it back restores the chain', async () => {
    await world.client.data(UPDATE_BUDGET, { id, input: { rollover: false } });
    const dates = ['2026-01-05', '2026-01-10', '2026-03-10', '2026-06-10', '2026-08-10', '2026-11-30'];
    const off = { ...rule, rollover: false };
    (await world.statuses(id, dates)).forEach((status, i) => {
      expect(status.carriedOver).toBe('0.00');
      expectStatus(status, world.expected(off, dates[i]!), `off ${dates[i]}`);
    });
    await world.client.data(UPDATE_BUDGET, { id, input: { rollover: true } });
    (await world.statuses(id, dates)).forEach((status, i) => {
      expectStatus(status, world.expected(rule, dates[i]!), `on ${dates[i]}`);
    });
  });

  it('moving startDate moves the chain', async () => {
    const other = await world.createBudget({ ...rule, startDate: '2026-03-10' });
    const moved = { ...rule, startDate: '2026-03-10' };
    const dates = ['2026-02-10', '2026-03-10', '2026-04-10', '2026-05-10', '2026-07-10', '2026-11-30'];
    (await world.statuses(other, dates)).forEach((status, i) => {
      expectStatus(status, world.expected(moved, dates[i]!), dates[i]!);
    });
    expect((await world.status(other, '2026-02-10')).carriedOver).toBe('0.00');
    expect((await world.status(other, '2026-04-10')).carriedOver).toBe('100.00');
  });

  it('history: newest first, consecutive, the first equal to status, chained like status', async () => {
    for (const periods of [1, 2, 3, 6, 11, 12, 14, 36]) {
      const today = utcToday();
      const data = await world.client.data(
        `query ($id: ID!, $periods: Int) { budget(id: $id) {
           history(periods: $periods) { ${STATUS_FIELDS} }
           status { ${STATUS_FIELDS} }
           onToday: status(date: "${today}") { ${STATUS_FIELDS} } } }`,
        { id, periods },
      );
      if (utcToday() !== today) return; // midnight passed during the request: nothing to compare
      const history: Status[] = data.budget.history;
      expect(history).toHaveLength(periods);
      expect(history[0]).toEqual(data.budget.status);
      expect(history[0]).toEqual(data.budget.onToday);
      expect(history[0]!.periodStart <= today && today <= history[0]!.periodEnd).toBe(true);
      for (let i = 1; i < history.length; i++) {
        expect(addDays(history[i]!.periodEnd, 1)).toBe(history[i - 1]!.periodStart);
      }
      const expected = world.expectedHistory(rule, today, periods);
      history.forEach((status, i) => expectStatus(status, expected[i]!, `history(${periods})[${i}]`));
    }
  });
});

describe('randomised: statuses and histories against the model', () => {
  it('many budgets, dates and edits (fixed seed)', async () => {
    const random = prng(20261130);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const world = await World.create(server, 'random');
    const usd = [await world.account(), await world.account()];
    const eur = await world.account('EUR');
    const food = await world.category('Food');
    const restaurants = await world.category('Restaurants', 'EXPENSE', food);
    const sushi = await world.category('Sushi', 'EXPENSE', restaurants);
    const coffee = await world.category('Coffee', 'EXPENSE', food);
    const rent = await world.category('Rent');
    const expenseCategories = [food, restaurants, sushi, coffee, rent, null];
    const from = dayNumber('2024-11-01');
    const to = dayNumber('2027-02-28');
    const randomDate = () => fromDayNumber(from + Math.floor(random() * (to - from + 1)));

    const txIds: string[] = [];
    for (let i = 0; i < 90; i++) {
      const roll = random();
      const amount = BigInt(1 + Math.floor(random() * 60000));
      if (roll < 0.72) {
        txIds.push(
          await world.expense(
            random() < 0.85 ? pick(usd) : eur,
            amount,
            randomDate(),
            pick(expenseCategories),
          ),
        );
      } else if (roll < 0.86) {
        txIds.push(await world.tx('INCOME', pick([...usd, eur]), amount, randomDate()));
      } else {
        txIds.push(await world.tx('TRANSFER', usd[0]!, amount, randomDate(), { transferAccountId: usd[1]! }));
      }
    }

    const anchors = [
      '2024-01-31',
      '2024-02-29',
      '2025-03-30',
      '2025-08-31',
      '2026-01-01',
      '2026-11-04',
      '2025-12-29',
      '2027-01-15', // after today: history lies wholly before startDate
    ];
    const rules: Rule[] = [];
    for (let i = 0; i < 9; i++) {
      rules.push({
        categoryId: pick(expenseCategories),
        amount: BigInt(1000 + Math.floor(random() * 90000)),
        period: pick(['WEEKLY', 'MONTHLY', 'MONTHLY', 'YEARLY'] as const),
        startDate: pick(anchors),
        rollover: random() < 0.7,
      });
    }
    const ids: string[] = [];
    for (const r of rules) ids.push(await world.createBudget(r));

    const verify = async (label: string) => {
      for (const [i, r] of rules.entries()) {
        const dates = Array.from({ length: 10 }, randomDate);
        // Edges of the periods around a random date.
        const around = modelPeriod(r.period, r.startDate, randomDate());
        dates.push(around.start, around.end, addDays(around.start, -1), addDays(around.end, 1), r.startDate);
        const statuses = await world.statuses(ids[i]!, dates);
        statuses.forEach((status, j) =>
          expectStatus(
            status,
            world.expected(r, dates[j]!),
            `${label} budget ${i} ${describeRule(r)} on ${dates[j]}`,
          ),
        );
        const periods = 1 + Math.floor(random() * 36);
        const today = utcToday();
        const history: Status[] = (await world.client.data(BUDGET_HISTORY, { id: ids[i], periods })).budget
          .history;
        if (utcToday() !== today) continue;
        const expected = world.expectedHistory(r, today, periods);
        expect(history).toHaveLength(periods);
        history.forEach((status, j) =>
          expectStatus(
            status,
            expected[j]!,
            `${label} budget ${i} ${describeRule(r)} history(${periods})[${j}]`,
          ),
        );
      }
    };

    await verify('initial');

    // Edit transactions: amounts, dates, categories, accounts, deletes.
    for (let i = 0; i < 25; i++) {
      const id = pick(txIds);
      const tx = world.txs.get(id);
      if (!tx) continue;
      const roll = random();
      if (roll < 0.2) {
        await world.deleteTx(id);
      } else if (tx.type === 'EXPENSE' && roll < 0.5) {
        await world.updateTx(id, { categoryId: pick(expenseCategories) });
      } else if (tx.type !== 'TRANSFER' && roll < 0.7) {
        await world.updateTx(id, { accountId: pick([...usd, eur]) });
      } else if (roll < 0.85) {
        await world.updateTx(id, { date: randomDate() });
      } else {
        await world.updateTx(id, { amount: BigInt(1 + Math.floor(random() * 60000)) });
      }
    }
    await verify('after transaction edits');

    // Edit the budgets: each field in turn.
    for (const [i, r] of rules.entries()) {
      const changes: Partial<Rule>[] = [
        { rollover: !r.rollover },
        { startDate: pick(anchors) },
        { period: pick(['WEEKLY', 'MONTHLY', 'YEARLY'] as const) },
        { categoryId: pick(expenseCategories) },
        { amount: BigInt(1 + Math.floor(random() * 90000)) },
      ];
      const change = pick(changes);
      const input: Record<string, unknown> = { ...change };
      if (change.amount !== undefined) input.amount = money(change.amount);
      await world.client.data(UPDATE_BUDGET, { id: ids[i], input });
      rules[i] = { ...r, ...change };
    }
    await verify('after budget edits');
  }, 300_000);
});
