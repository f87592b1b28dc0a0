import { expect } from 'vitest';
import type { GraphQLClient, GraphQLResponse } from './graphql.js';
import { addDays } from './model/calendar.js';
import { expectedStatus, type BudgetRule, type BudgetStatus, type Span } from './model/budget.js';
import type { SpendingTx as ModelTx, TxType } from './model/ledger.js';
import { money } from './model/money.js';
import {
  BUDGET_STATUS,
  CREATE_ACCOUNT,
  CREATE_BUDGET,
  CREATE_CATEGORY,
  CREATE_TRANSACTION,
  DELETE_CATEGORY,
  DELETE_TRANSACTION,
  STATUS_FIELDS,
  UPDATE_PROFILE,
  UPDATE_TRANSACTION,
} from './operations.js';
import type { TestServer } from './server.js';
import { registerUser } from './users.js';

/**
 * A user's world as the budget tests write it through the API, and the statuses its budgets must
 * have: the budget model (tests/helpers/model/budget.ts) over the transactions written here, with
 * the contract's rules for what counts (expenses, in the user's currency, in the budget's
 * category tree). None of it calls the server's code.
 */

export type { BudgetRule as Rule, BudgetStatus as Status };

export class World {
  currency = 'USD';
  readonly accounts = new Map<string, string>();
  /** Category id -> parent id. */
  readonly parents = new Map<string, string | null>();
  readonly txs = new Map<string, ModelTx>();

  constructor(
    readonly client: GraphQLClient,
    readonly name: string,
  ) {}

  static async create(server: TestServer, name: string, currency = 'USD'): Promise<World> {
    const user = await registerUser(server.client(), { currency });
    const world = new World(server.client(user.accessToken), name);
    world.currency = currency;
    const data = await world.client.data('{ categories { id parent { id } } }');
    for (const c of data.categories) world.parents.set(c.id, c.parent?.id ?? null);
    return world;
  }

  async account(currency = this.currency): Promise<string> {
    const data = await this.client.data(CREATE_ACCOUNT, {
      input: { name: `Account ${this.accounts.size + 1}`, type: 'CHECKING', currency },
    });
    this.accounts.set(data.createAccount.id, data.createAccount.currency);
    return data.createAccount.id;
  }

  async category(name: string, kind: 'EXPENSE' | 'INCOME' = 'EXPENSE', parentId?: string): Promise<string> {
    const data = await this.client.data(CREATE_CATEGORY, { input: { name, kind, parentId } });
    this.parents.set(data.createCategory.id, parentId ?? null);
    return data.createCategory.id;
  }

  async deleteCategory(id: string): Promise<void> {
    expect((await this.client.data(DELETE_CATEGORY, { id })).deleteCategory).toBe(true);
    // The contract: its transactions become uncategorized. The server moves children up.
    const parent = this.parents.get(id) ?? null;
    this.parents.delete(id);
    for (const [child, p] of this.parents) if (p === id) this.parents.set(child, parent);
    for (const tx of this.txs.values()) if (tx.categoryId === id) tx.categoryId = null;
  }

  async tx(
    type: TxType,
    accountId: string,
    amount: bigint,
    date: string,
    extra: { categoryId?: string | null; transferAccountId?: string } = {},
  ): Promise<string> {
    const data = await this.client.data(CREATE_TRANSACTION, {
      input: { type, accountId, amount: money(amount), date, ...extra },
    });
    this.txs.set(data.createTransaction.id, {
      type,
      amount,
      date,
      accountId,
      categoryId: extra.categoryId ?? null,
    });
    return data.createTransaction.id;
  }

  expense(
    accountId: string,
    amount: bigint,
    date: string,
    categoryId: string | null = null,
  ): Promise<string> {
    return this.tx('EXPENSE', accountId, amount, date, { categoryId });
  }

  async updateTx(id: string, patch: Partial<ModelTx> & { transferAccountId?: string }): Promise<void> {
    const input: Record<string, unknown> = {};
    if (patch.type !== undefined) input.type = patch.type;
    if (patch.amount !== undefined) input.amount = money(patch.amount);
    if (patch.date !== undefined) input.date = patch.date;
    if (patch.accountId !== undefined) input.accountId = patch.accountId;
    if (patch.categoryId !== undefined) input.categoryId = patch.categoryId;
    if (patch.transferAccountId !== undefined) input.transferAccountId = patch.transferAccountId;
    await this.client.data(UPDATE_TRANSACTION, { id, input });
    const current = this.txs.get(id)!;
    const { transferAccountId: _ignored, ...rest } = patch;
    this.txs.set(id, { ...current, ...rest });
  }

  async deleteTx(id: string): Promise<void> {
    await this.client.data(DELETE_TRANSACTION, { id });
    this.txs.delete(id);
  }

  async setCurrency(currency: string): Promise<void> {
    const data = await this.client.data(UPDATE_PROFILE, { input: { currency } });
    expect(data.updateProfile.currency).toBe(currency);
    this.currency = currency;
  }

  /** The category or one of its ancestors is `root`. */
  private within(categoryId: string | null, root: string): boolean {
    for (let c = categoryId, hops = 0; c !== null; c = this.parents.get(c) ?? null, hops++) {
      if (hops > 100) throw new Error('category cycle in the model');
      if (c === root) return true;
    }
    return false;
  }

  counts(tx: ModelTx, rule: BudgetRule): boolean {
    return (
      tx.type === 'EXPENSE' &&
      this.accounts.get(tx.accountId) === this.currency &&
      (rule.categoryId === null || this.within(tx.categoryId, rule.categoryId))
    );
  }

  spent(rule: BudgetRule, period: Span): bigint {
    let total = 0n;
    for (const tx of this.txs.values()) {
      if (tx.date >= period.start && tx.date <= period.end && this.counts(tx, rule)) total += tx.amount;
    }
    return total;
  }

  /** The status of the period containing `date`, chaining rollover period by period. */
  expected(rule: BudgetRule, date: string): BudgetStatus {
    return expectedStatus(rule, date, (period) => this.spent(rule, period));
  }

  /** The model's history: the period containing today, then consecutive earlier ones. */
  expectedHistory(rule: BudgetRule, today: string, count: number): BudgetStatus[] {
    const result: BudgetStatus[] = [];
    let date = today;
    for (let i = 0; i < count; i++) {
      const status = this.expected(rule, date);
      result.push(status);
      date = addDays(status.periodStart, -1);
    }
    return result;
  }

  async createBudget(rule: BudgetRule, extra: Record<string, unknown> = {}): Promise<string> {
    const data = await this.client.data(CREATE_BUDGET, {
      input: {
        categoryId: rule.categoryId,
        amount: money(rule.amount),
        period: rule.period,
        startDate: rule.startDate,
        rollover: rule.rollover,
        ...extra,
      },
    });
    return data.createBudget.id;
  }

  async status(id: string, date?: string): Promise<BudgetStatus> {
    return (await this.client.data(BUDGET_STATUS, { id, date })).budget.status;
  }

  /** Statuses on many dates, 12 aliases a request (the server allows 15). */
  async statuses(id: string, dates: string[]): Promise<BudgetStatus[]> {
    const result: BudgetStatus[] = [];
    for (let i = 0; i < dates.length; i += 12) {
      const chunk = dates.slice(i, i + 12);
      const fields = chunk.map((d, j) => `s${j}: status(date: "${d}") { ${STATUS_FIELDS} }`).join('\n');
      const data = await this.client.data(`query ($id: ID!) { budget(id: $id) { ${fields} } }`, { id });
      chunk.forEach((_, j) => result.push(data.budget[`s${j}`]));
    }
    return result;
  }
}

export const describeRule = (r: BudgetRule): string =>
  `${r.period} from ${r.startDate} ${money(r.amount)} category ${r.categoryId} rollover ${r.rollover}`;

/** Every field equal, percentUsed up to float noise. */
export function expectStatus(actual: BudgetStatus, expected: BudgetStatus, context: string): void {
  const { percentUsed: actualPercent, ...actualRest } = actual;
  const { percentUsed: expectedPercent, ...expectedRest } = expected;
  expect(actualRest, context).toEqual(expectedRest);
  expect(typeof actualPercent, context).toBe('number');
  expect(
    Math.abs(actualPercent - expectedPercent),
    `${context}: percentUsed ${actualPercent} vs ${expectedPercent}`,
  ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expectedPercent)));
}

export function expectError(result: GraphQLResponse, code: string, field?: string): void {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field !== undefined)
    expect(result.errors![0]!.extensions?.field, JSON.stringify(result.errors)).toBe(field);
}
