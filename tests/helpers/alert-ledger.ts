import { expect } from 'vitest';
import { createBudget, listAlerts, type AlertView } from './budgets.js';
import type { GraphQLClient } from './graphql.js';
import { createAccount } from './ledger.js';
import { percentOf, type Span } from './model/budget.js';
import { calendarMonth } from './model/calendar.js';
import type { SpendingTx as ModelTx, TxType } from './model/ledger.js';
import { cents, money } from './model/money.js';
import {
  budgetStatusWith,
  CREATE_TRANSACTION,
  DELETE_TRANSACTION,
  UPDATE_TRANSACTION,
} from './operations.js';
import type { TestServer } from './server.js';
import { registerUser } from './users.js';

/**
 * The model of the budget-alert tests (tests/alerts*.test.ts): it keeps a user's transactions and
 * budgets, recomputes every budget's spending in BigInt cents after each write and derives which
 * alerts must exist, with which figures; the server's stored alerts must equal it.
 */

export interface ModelBudget {
  id: string;
  name: string;
  /** The categories counted (the budget's and its descendants'); null: every expense. */
  scope: Set<string> | null;
  amount: bigint;
  thresholds: number[];
  period(date: string): Span;
}

/** The figures of an alert, as the contract defines them. */
type AlertFigures = Pick<
  AlertView,
  'budget' | 'threshold' | 'periodStart' | 'periodEnd' | 'spent' | 'available' | 'percentUsed'
>;

type ExpectedAlert = Omit<AlertFigures, 'budget'> & { budgetId: string; budgetName: string };

export const alertKey = (budgetId: string, periodStart: string, threshold: number) =>
  `${budgetId}|${periodStart}|${threshold}`;

const SPENT_ON = budgetStatusWith('periodStart periodEnd spent');

/** One user's data as the test sees it, and the alerts that must exist. */
export class Ledger {
  readonly txs = new Map<string, ModelTx>();
  readonly budgets: ModelBudget[] = [];
  readonly expected = new Map<string, ExpectedAlert>();
  /** account id -> currency; only accounts in the user's currency count. */
  readonly accounts = new Map<string, string>();

  constructor(
    readonly client: GraphQLClient,
    readonly userCurrency = 'USD',
  ) {}

  async account(currency = 'USD', openingBalance = '100000.00'): Promise<string> {
    const account = await createAccount(this.client, { name: `Acc ${currency}`, currency, openingBalance });
    this.accounts.set(account.id, currency);
    return account.id;
  }

  async budget(
    input: { amount: string; alertThresholds: number[]; categoryId?: string; name?: string },
    scope: Set<string> | null,
    period: (date: string) => Span = calendarMonth,
    extra: Record<string, unknown> = {},
  ): Promise<ModelBudget> {
    const created = await createBudget(this.client, { ...input, ...extra });
    expect(new Set(created.alertThresholds)).toEqual(new Set(input.alertThresholds));
    const budget: ModelBudget = {
      id: created.id,
      name: created.name,
      scope,
      amount: cents(input.amount),
      thresholds: input.alertThresholds,
      period,
    };
    this.budgets.push(budget);
    return budget;
  }

  async create(input: {
    type?: TxType;
    amount: string;
    date: string;
    accountId: string;
    categoryId?: string;
    transferAccountId?: string;
  }): Promise<string> {
    const data = await this.client.data(CREATE_TRANSACTION, { input: { type: 'EXPENSE', ...input } });
    const id: string = data.createTransaction.id;
    this.apply(id, {
      type: input.type ?? 'EXPENSE',
      amount: cents(input.amount),
      date: input.date,
      accountId: input.accountId,
      categoryId: input.categoryId ?? null,
    });
    return id;
  }

  async update(
    id: string,
    input: Partial<{ type: TxType; amount: string; date: string; accountId: string; categoryId: string }> & {
      transferAccountId?: string;
    },
  ): Promise<void> {
    await this.client.data(UPDATE_TRANSACTION, { id, input });
    const before = this.txs.get(id)!;
    const type = input.type ?? before.type;
    this.apply(id, {
      type,
      amount: input.amount === undefined ? before.amount : cents(input.amount),
      date: input.date ?? before.date,
      accountId: input.accountId ?? before.accountId,
      categoryId: type === 'TRANSFER' ? null : (input.categoryId ?? before.categoryId),
    });
  }

  async delete(id: string): Promise<void> {
    const data = await this.client.data(DELETE_TRANSACTION, { id });
    expect(data.deleteTransaction).toBe(true);
    this.apply(id, null);
  }

  private inScope(budget: ModelBudget, tx: ModelTx): boolean {
    return budget.scope === null || (tx.categoryId !== null && budget.scope.has(tx.categoryId));
  }

  /** Counted spending of a budget in a period, from the model's transactions. */
  spent(budget: ModelBudget, period: Span): bigint {
    let total = 0n;
    for (const tx of this.txs.values()) {
      if (tx.type !== 'EXPENSE' || !this.inScope(budget, tx)) continue;
      if (this.accounts.get(tx.accountId) !== this.userCurrency) continue;
      if (tx.date >= period.start && tx.date <= period.end) total += tx.amount;
    }
    return total;
  }

  /**
   * The rule: a write that changes what a budget has spent evaluates that budget for the
   * periods of the expense before and after the write; each threshold reached fires once per
   * (budget, period).
   */
  private apply(id: string, after: ModelTx | null): void {
    const before = this.txs.get(id) ?? null;
    if (after) this.txs.set(id, after);
    else this.txs.delete(id);
    const changed = [before, after].filter((tx): tx is ModelTx => tx?.type === 'EXPENSE');
    for (const budget of this.budgets) {
      const periods = new Map<string, Span>();
      for (const tx of changed) {
        if (!this.inScope(budget, tx)) continue;
        const period = budget.period(tx.date);
        periods.set(period.start, period);
      }
      for (const period of periods.values()) {
        const spent = this.spent(budget, period);
        for (const threshold of budget.thresholds) {
          const key = alertKey(budget.id, period.start, threshold);
          if (this.expected.has(key) || spent * 100n < BigInt(threshold) * budget.amount) continue;
          this.expected.set(key, {
            budgetId: budget.id,
            budgetName: budget.name,
            threshold,
            periodStart: period.start,
            periodEnd: period.end,
            spent: money(spent),
            available: money(budget.amount),
            percentUsed: percentOf(spent, budget.amount),
          });
        }
      }
    }
  }

  /** The stored alerts equal the model's: same set, one per key, same figures. */
  async expectAlerts(): Promise<AlertView[]> {
    const alerts = await listAlerts(this.client);
    const keys = alerts.map((a) => alertKey(a.budget.id, a.periodStart, a.threshold));
    expect(new Set(keys).size, `duplicate alerts: ${keys.join(', ')}`).toBe(keys.length);
    expect(normalise(alerts)).toEqual(
      normalise(
        [...this.expected.values()].map((e) => ({
          ...e,
          budget: { id: e.budgetId, name: e.budgetName },
        })),
      ),
    );
    for (const alert of alerts) {
      expect(alert.read).toBe(false);
      expect(Number.isNaN(Date.parse(alert.createdAt))).toBe(false);
    }
    return alerts;
  }

  /** Budget.status(date).spent equals the model's spending. */
  async expectSpent(budget: ModelBudget, date: string): Promise<void> {
    const data = await this.client.data(SPENT_ON, { id: budget.id, date });
    const period = budget.period(date);
    expect(data.budget.status).toEqual({
      periodStart: period.start,
      periodEnd: period.end,
      spent: money(this.spent(budget, period)),
    });
  }
}

/** Order-free comparable form; percentUsed rounded so float noise cannot matter. */
function normalise(alerts: AlertFigures[]) {
  return Object.fromEntries(
    alerts
      .map((a) => [
        alertKey(a.budget.id, a.periodStart, a.threshold),
        {
          budget: a.budget,
          threshold: a.threshold,
          periodStart: a.periodStart,
          periodEnd: a.periodEnd,
          spent: a.spent,
          available: a.available,
          percentUsed: Math.round(a.percentUsed * 1e6) / 1e6,
        },
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

/** A ledger of a newly registered user. */
export async function newLedger(server: TestServer): Promise<Ledger> {
  const user = await registerUser(server.client());
  return new Ledger(server.client(user.accessToken));
}
