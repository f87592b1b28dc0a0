/**
 * Budget alerts read back: budgetAlerts (newest first, first, unreadOnly), markBudgetAlertRead,
 * other users' alerts; and alerts fired by concurrent expenses, each threshold exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey, newLedger as ledgerOf, type Ledger, type ModelBudget } from './helpers/alert-ledger.js';
import { createCategory, listAlerts } from './helpers/budgets.js';
import { BAD_USER_INPUT, NOT_FOUND, UNAUTHENTICATED } from './helpers/error-codes.js';
import { cents, money } from './helpers/model/money.js';
import { CREATE_TRANSACTION, MARK_ALERT_READ } from './helpers/operations.js';
import { scaled, timeoutFor } from './helpers/scale.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const newLedger = () => ledgerOf(server);

describe('budget alerts: concurrency', () => {
  const ROUNDS = Number(process.env.ALERT_CONCURRENCY_ROUNDS ?? scaled(5));
  const WRITES = 20;

  it(
    `${WRITES} expenses fired at once cross each threshold exactly once (${ROUNDS} rounds)`,
    async () => {
      const timings: number[] = [];
      const orderViolations: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ledger = await newLedger();
        // One account per write: the writes share no account row lock, only the budgets.
        const accounts: string[] = [];
        for (let i = 0; i < WRITES; i++) accounts.push(await ledger.account('USD', '500.00'));
        const category = await createCategory(ledger.client, { name: `Round ${round}` });
        const all = await ledger.budget({ amount: '100.00', alertThresholds: [50, 100] }, null);
        const scoped = await ledger.budget(
          { amount: '150.00', alertThresholds: [30, 60, 80], categoryId: category },
          new Set([category]),
        );
        const amount = 600n; // 6.00 each, 120.00 in all
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: WRITES }, (_, i) =>
            ledger.client.request(CREATE_TRANSACTION, {
              input: {
                type: 'EXPENSE',
                amount: money(amount),
                date: `2026-05-${String(1 + i).padStart(2, '0')}`,
                accountId: accounts[i],
                categoryId: category,
              },
            }),
          ),
        );
        timings.push(performance.now() - started);
        for (const result of results) expect(result.errors).toBeUndefined();

        const alerts = await listAlerts(ledger.client);
        // Evaluations run after each commit without serialising the writes: each sees every
        // expense committed before it, so the alert of a threshold carries what its evaluation
        // saw: at least the crossing spending, at most all of it, in whole expenses.
        const crossing = (budget: ModelBudget, threshold: number) => {
          let k = 1n;
          while (k * amount * 100n < BigInt(threshold) * budget.amount) k++;
          return k;
        };
        const fired = alerts.map((a) => ({
          key: alertKey(a.budget.id, a.periodStart, a.threshold),
          spent: cents(a.spent),
          available: a.available,
          periodEnd: a.periodEnd,
        }));
        expect(fired.map((a) => a.key).sort(), `round ${round}: each threshold exactly once`).toEqual(
          [all, scoped]
            .flatMap((budget) => budget.thresholds.map((t) => alertKey(budget.id, '2026-05-01', t)))
            .sort(),
        );
        for (const budget of [all, scoped]) {
          for (const threshold of budget.thresholds) {
            const alert = fired.find((a) => a.key === alertKey(budget.id, '2026-05-01', threshold))!;
            expect(alert.available).toBe(money(budget.amount));
            expect(alert.periodEnd).toBe('2026-05-31');
            expect(alert.spent % amount).toBe(0n);
            expect(alert.spent).toBeGreaterThanOrEqual(crossing(budget, threshold) * amount);
            expect(alert.spent).toBeLessThanOrEqual(amount * BigInt(WRITES));
          }
        }

        // Newest first. Collected over all rounds, so every round's set is checked before this fails.
        const createdOrder = alerts.map((a) => Date.parse(a.createdAt));
        if (createdOrder.some((created, i) => i > 0 && createdOrder[i - 1]! < created)) {
          orderViolations.push(
            `round ${round}: ${alerts.map((a) => `${a.threshold}%@${a.spent} createdAt ${a.createdAt}`).join(', ')}`,
          );
        }

        const data = await ledger.client.data(
          `query ($a: ID!, $s: ID!) {
           a: budget(id: $a) { status(date: "2026-05-15") { spent } }
           s: budget(id: $s) { status(date: "2026-05-15") { spent } }
           accounts { id balance }
         }`,
          { a: all.id, s: scoped.id },
        );
        expect(data.a.status.spent).toBe(money(amount * BigInt(WRITES)));
        expect(data.s.status.spent).toBe(money(amount * BigInt(WRITES)));
        for (const id of accounts) {
          expect(data.accounts.find((a: { id: string }) => a.id === id)?.balance).toBe(
            money(50000n - amount),
          );
        }
      }
      console.info(
        `[alerts] ${ROUNDS} rounds of ${WRITES} concurrent expenses (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}): ` +
          timings.map((t) => `${t.toFixed(0)} ms`).join(', '),
      );
      expect(orderViolations, 'budgetAlerts must list newest first').toEqual([]);
    },
    timeoutFor(ROUNDS, 20_000),
  );
});

describe('budget alerts: concurrent writes in different periods and categories', () => {
  // A server evaluates a user's concurrent writes together (alerts/evaluation-batches.ts): each
  // write's own period and category must still be evaluated, not only the first write's.
  it('each write reaching a threshold in its own period fires it', async () => {
    const ledger = await newLedger();
    const category = await createCategory(ledger.client, { name: 'Scoped' });
    const accounts: string[] = [];
    for (let i = 0; i < 4; i++) accounts.push(await ledger.account());
    await ledger.budget({ amount: '10.00', alertThresholds: [100] }, null);
    await ledger.budget(
      { amount: '10.00', alertThresholds: [50], categoryId: category },
      new Set([category]),
    );
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 12 }, (_, month) =>
          ledger.create({
            amount: '10.00',
            date: `${2020 + round}-${String(month + 1).padStart(2, '0')}-1${month % 10}`,
            accountId: accounts[month % accounts.length]!,
            ...(month % 2 === 1 ? { categoryId: category } : {}),
          }),
        ),
      );
    }
    const alerts = await ledger.expectAlerts();
    expect(alerts).toHaveLength(3 * (12 + 6));
  });
});

describe('budgetAlerts and markBudgetAlertRead', () => {
  async function fireInOrder(ledger: Ledger, count: number): Promise<string[]> {
    const account = await ledger.account();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const category = await createCategory(ledger.client, { name: `Order ${i}` });
      const budget = await ledger.budget(
        { amount: '10.00', alertThresholds: [100], categoryId: category, name: `B${i}` },
        new Set([category]),
      );
      await ledger.create({ amount: '10.00', date: '2026-01-05', accountId: account, categoryId: category });
      const found = (await listAlerts(ledger.client)).find((a) => a.budget.id === budget.id);
      expect(found).toBeDefined();
      ids.push(found!.id);
    }
    return ids;
  }

  it('lists newest first, bounded by first, and unreadOnly leaves read alerts out', async () => {
    const ledger = await newLedger();
    const fired = await fireInOrder(ledger, 5); // oldest first
    const newestFirst = [...fired].reverse();

    const all = await listAlerts(ledger.client, { first: 500 });
    expect(all.map((a) => a.id)).toEqual(newestFirst);
    for (let i = 1; i < all.length; i++) {
      expect(Date.parse(all[i - 1]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(all[i]!.createdAt));
    }
    expect((await listAlerts(ledger.client, { first: 2 })).map((a) => a.id)).toEqual(newestFirst.slice(0, 2));
    expect((await listAlerts(ledger.client, { first: 1 })).map((a) => a.id)).toEqual(newestFirst.slice(0, 1));

    // Mark the second-newest and the oldest read.
    for (const id of [newestFirst[1]!, newestFirst[4]!]) {
      const data = await ledger.client.data(MARK_ALERT_READ, { id });
      expect(data.markBudgetAlertRead).toMatchObject({ id, read: true });
    }
    // Marking again is harmless.
    expect((await ledger.client.data(MARK_ALERT_READ, { id: newestFirst[1] })).markBudgetAlertRead.read).toBe(
      true,
    );
    const unread = await listAlerts(ledger.client, { unreadOnly: true });
    expect(unread.map((a) => a.id)).toEqual([newestFirst[0], newestFirst[2], newestFirst[3]]);
    expect(unread.every((a) => !a.read)).toBe(true);
    expect((await listAlerts(ledger.client, { unreadOnly: true, first: 2 })).map((a) => a.id)).toEqual([
      newestFirst[0],
      newestFirst[2],
    ]);
    const everything = await listAlerts(ledger.client);
    expect(everything.map((a) => [a.id, a.read])).toEqual(
      newestFirst.map((id, i) => [id, i === 1 || i === 4]),
    );
  });

  it('first defaults to 50 and must be 1..500', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const thresholds = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    for (let i = 0; i < 6; i++) await ledger.budget({ amount: '100.00', alertThresholds: thresholds }, null);
    await ledger.create({ amount: '100.00', date: '2026-01-02', accountId: account }); // 6 x 10 alerts
    expect(await ledger.expectAlerts()).toHaveLength(60);

    const byDefault = await ledger.client.data('{ budgetAlerts { id } }');
    expect(byDefault.budgetAlerts).toHaveLength(50);
    expect((await listAlerts(ledger.client, { first: 500 })).length).toBe(60);
    expect((await listAlerts(ledger.client, { first: 60 })).length).toBe(60);

    for (const first of [0, -1, 501, 100000]) {
      const result = await ledger.client.request(
        'query ($first: Int) { budgetAlerts(first: $first) { id } }',
        {
          first,
        },
      );
      expect(result.errors?.[0]?.extensions?.code, `first: ${first}`).toBe(BAD_USER_INPUT);
    }
  });

  it('pages with after: the pages together are the whole list, in order, once each', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const thresholds = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    for (let i = 0; i < 4; i++) await ledger.budget({ amount: '100.00', alertThresholds: thresholds }, null);
    await ledger.create({ amount: '100.00', date: '2026-01-02', accountId: account }); // 4 x 10 alerts, one statement
    const whole = (await listAlerts(ledger.client, { first: 500 })).map((a) => a.id);
    expect(whole).toHaveLength(40);

    const page = (after: string | null) =>
      ledger.client.data('query ($after: ID) { budgetAlerts(first: 15, after: $after) { id } }', { after });
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const ids: string[] = (await page(after)).budgetAlerts.map((a: { id: string }) => a.id);
      paged.push(...ids);
      if (ids.length < 15) break;
      after = ids.at(-1)!;
    }
    expect(paged).toEqual(whole);

    const intruder = await newLedger();
    for (const bad of [whole[0], 'not-an-id', '00000000-0000-4000-8000-000000000000']) {
      const result = await intruder.client.request(
        'query ($after: ID) { budgetAlerts(after: $after) { id } }',
        {
          after: bad,
        },
      );
      expect(result.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'after' });
    }
  });

  it('another user’s alert behaves as unknown: NOT_FOUND, untouched, never listed', async () => {
    const owner = await newLedger();
    const [alertId] = await fireInOrder(owner, 1);
    const intruder = await newLedger();
    const intruderAccount = await intruder.account();
    await intruder.budget({ amount: '1.00', alertThresholds: [100] }, null);
    await intruder.create({ amount: '1.00', date: '2026-01-05', accountId: intruderAccount });

    expect(await intruder.client.errorCode(MARK_ALERT_READ, { id: alertId })).toBe(NOT_FOUND);
    expect(await intruder.client.errorCode(MARK_ALERT_READ, { id: 'not-a-uuid' })).toBe(NOT_FOUND);
    expect(
      await intruder.client.errorCode(MARK_ALERT_READ, { id: '00000000-0000-4000-8000-000000000000' }),
    ).toBe(NOT_FOUND);
    const ownerAlerts = await listAlerts(owner.client);
    expect(ownerAlerts.map((a) => [a.id, a.read])).toEqual([[alertId, false]]);
    const intruderAlerts = await intruder.expectAlerts();
    expect(intruderAlerts.map((a) => a.id)).not.toContain(alertId);
    expect(intruderAlerts).toHaveLength(1);

    expect(await server.client().errorCode('{ budgetAlerts { id } }')).toBe(UNAUTHENTICATED);
    expect(await server.client().errorCode(MARK_ALERT_READ, { id: alertId })).toBe(UNAUTHENTICATED);
  });
});
