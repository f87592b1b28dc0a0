/**
 * Budgets through the GraphQL API: CRUD and validation, which expenses count, status on a date,
 * rollover chains, history, percentUsed/overBudget, the user's currency, category deletion and
 * other users' ids.
 *
 * Every expected figure comes from the test's own model: a brute-force calendar (a day starts a
 * period when the rule says so; a period runs from the last such day on or before the date to
 * the day before the next one), the transactions the test wrote, and BigInt cents. Rollover is
 * chained period by period from the one containing startDate. None of it calls the server's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLClient, GraphQLResponse } from './helpers/graphql.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { prng } from './helpers/random.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

// ---------------------------------------------------------------------------------------------
// Operations

const BUDGET_FIELDS = 'id name amount period startDate rollover alertThresholds category { id }';
const STATUS_FIELDS =
  'periodStart periodEnd budgeted carriedOver available spent remaining percentUsed overBudget';
const CREATE_BUDGET = `mutation ($input: CreateBudgetInput!) { createBudget(input: $input) { ${BUDGET_FIELDS} } }`;
const UPDATE_BUDGET = `mutation ($id: ID!, $input: UpdateBudgetInput!) {
  updateBudget(id: $id, input: $input) { ${BUDGET_FIELDS} } }`;
const DELETE_BUDGET = 'mutation ($id: ID!) { deleteBudget(id: $id) }';
const BUDGET = `query ($id: ID!) { budget(id: $id) { ${BUDGET_FIELDS} } }`;
const BUDGETS = `{ budgets { ${BUDGET_FIELDS} } }`;
const STATUS_ON = `query ($id: ID!, $date: Date) { budget(id: $id) { status(date: $date) { ${STATUS_FIELDS} } } }`;
const HISTORY = `query ($id: ID!, $periods: Int) {
  budget(id: $id) { history(periods: $periods) { ${STATUS_FIELDS} } } }`;

const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`;
const UPDATE_CATEGORY = `mutation ($id: ID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { id } }`;
const DELETE_CATEGORY = 'mutation ($id: ID!) { deleteCategory(id: $id) }';
const CREATE_ACCOUNT = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { id currency } }`;
const CREATE_TX = `mutation ($input: CreateTransactionInput!) { createTransaction(input: $input) { id } }`;
const UPDATE_TX = `mutation ($id: ID!, $input: UpdateTransactionInput!) { updateTransaction(id: $id, input: $input) { id } }`;
const DELETE_TX = 'mutation ($id: ID!) { deleteTransaction(id: $id) }';
const UPDATE_PROFILE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { currency } }`;

// ---------------------------------------------------------------------------------------------
// Money: BigInt cents, independent of src/money

function cents(value: string): bigint {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(value);
  if (!match) throw new Error(`not a Decimal with exactly 2 fraction digits: ${JSON.stringify(value)}`);
  const magnitude = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] === '-' ? -magnitude : magnitude;
}

function money(value: bigint): string {
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Calendar: day numbers (days since 1970-01-01) by Hinnant's algorithms, brute-force periods

type Kind = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const monthLength = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

function ymd(date: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function day(date: string): number {
  const { y, m, d } = ymd(date);
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function dateOf(n: number): string {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const addDays = (date: string, days: number): string => dateOf(day(date) + days);

function isStart(kind: Kind, anchor: string, n: number): boolean {
  const a = ymd(anchor);
  const t = ymd(dateOf(n));
  if (kind === 'WEEKLY') return (n - day(anchor)) % 7 === 0;
  if (kind === 'MONTHLY') return t.d === Math.min(a.d, monthLength(t.y, t.m));
  return t.m === a.m && t.d === Math.min(a.d, monthLength(t.y, a.m));
}

interface Period {
  start: string;
  end: string;
}

/** The last start on or before the date, and the day before the first start after it. */
function modelPeriod(kind: Kind, anchor: string, date: string): Period {
  let start = day(date);
  while (!isStart(kind, anchor, start)) start--;
  let next = day(date) + 1;
  while (!isStart(kind, anchor, next)) next++;
  return { start: dateOf(start), end: dateOf(next - 1) };
}

/** Today as the server sees it (UTC). */
const todayUtc = (): string => new Date().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// The user's world as the test wrote it, and the expected statuses

type TxType = 'INCOME' | 'EXPENSE' | 'TRANSFER';
interface ModelTx {
  type: TxType;
  amount: bigint;
  date: string;
  accountId: string;
  categoryId: string | null;
}

interface Rule {
  categoryId: string | null;
  amount: bigint;
  period: Kind;
  startDate: string;
  rollover: boolean;
}

interface Status {
  periodStart: string;
  periodEnd: string;
  budgeted: string;
  carriedOver: string;
  available: string;
  spent: string;
  remaining: string;
  percentUsed: number;
  overBudget: boolean;
}

class World {
  currency = 'USD';
  readonly accounts = new Map<string, string>();
  /** Category id -> parent id. */
  readonly parents = new Map<string, string | null>();
  readonly txs = new Map<string, ModelTx>();

  constructor(
    readonly client: GraphQLClient,
    readonly name: string,
  ) {}

  static async create(name: string, currency = 'USD'): Promise<World> {
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
    const data = await this.client.data(CREATE_TX, {
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
    await this.client.data(UPDATE_TX, { id, input });
    const current = this.txs.get(id)!;
    const { transferAccountId: _ignored, ...rest } = patch;
    this.txs.set(id, { ...current, ...rest });
  }

  async deleteTx(id: string): Promise<void> {
    await this.client.data(DELETE_TX, { id });
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

  counts(tx: ModelTx, rule: Rule): boolean {
    return (
      tx.type === 'EXPENSE' &&
      this.accounts.get(tx.accountId) === this.currency &&
      (rule.categoryId === null || this.within(tx.categoryId, rule.categoryId))
    );
  }

  spent(rule: Rule, period: Period): bigint {
    let total = 0n;
    for (const tx of this.txs.values()) {
      if (tx.date >= period.start && tx.date <= period.end && this.counts(tx, rule)) total += tx.amount;
    }
    return total;
  }

  /** The status of the period containing `date`, chaining rollover period by period. */
  expected(rule: Rule, date: string): Status {
    const period = modelPeriod(rule.period, rule.startDate, date);
    let carried = 0n;
    if (rule.rollover) {
      let p = modelPeriod(rule.period, rule.startDate, rule.startDate);
      let carry = 0n;
      while (p.start < period.start) {
        carry = rule.amount + carry - this.spent(rule, p);
        p = modelPeriod(rule.period, rule.startDate, addDays(p.end, 1));
      }
      carried = carry; // 0 when the period is the first one or before it
    }
    const spent = this.spent(rule, period);
    const available = rule.amount + carried;
    return {
      periodStart: period.start,
      periodEnd: period.end,
      budgeted: money(rule.amount),
      carriedOver: money(carried),
      available: money(available),
      spent: money(spent),
      remaining: money(available - spent),
      percentUsed: available <= 0n ? (spent === 0n ? 0 : 100) : (Number(spent) / Number(available)) * 100,
      overBudget: spent > available,
    };
  }

  /** The model's history: the period containing today, then consecutive earlier ones. */
  expectedHistory(rule: Rule, today: string, count: number): Status[] {
    const result: Status[] = [];
    let date = today;
    for (let i = 0; i < count; i++) {
      const status = this.expected(rule, date);
      result.push(status);
      date = addDays(status.periodStart, -1);
    }
    return result;
  }

  async createBudget(rule: Rule, extra: Record<string, unknown> = {}): Promise<string> {
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

  async status(id: string, date?: string): Promise<Status> {
    return (await this.client.data(STATUS_ON, { id, date })).budget.status;
  }

  /** Statuses on many dates, 12 aliases a request (the server allows 15). */
  async statuses(id: string, dates: string[]): Promise<Status[]> {
    const result: Status[] = [];
    for (let i = 0; i < dates.length; i += 12) {
      const chunk = dates.slice(i, i + 12);
      const fields = chunk.map((d, j) => `s${j}: status(date: "${d}") { ${STATUS_FIELDS} }`).join('\n');
      const data = await this.client.data(`query ($id: ID!) { budget(id: $id) { ${fields} } }`, { id });
      chunk.forEach((_, j) => result.push(data.budget[`s${j}`]));
    }
    return result;
  }
}

const describeRule = (r: Rule): string =>
  `${r.period} from ${r.startDate} ${money(r.amount)} category ${r.categoryId} rollover ${r.rollover}`;

function expectStatus(actual: Status, expected: Status, context: string): void {
  const { percentUsed: actualPercent, ...actualRest } = actual;
  const { percentUsed: expectedPercent, ...expectedRest } = expected;
  expect(actualRest, context).toEqual(expectedRest);
  expect(typeof actualPercent, context).toBe('number');
  expect(
    Math.abs(actualPercent - expectedPercent),
    `${context}: percentUsed ${actualPercent} vs ${expectedPercent}`,
  ).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expectedPercent)));
}

function expectError(result: GraphQLResponse, code: string, field?: string): void {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field !== undefined)
    expect(result.errors![0]!.extensions?.field, JSON.stringify(result.errors)).toBe(field);
}

// ---------------------------------------------------------------------------------------------

describe('the test model itself', () => {
  it('computes the rule examples', () => {
    expect(modelPeriod('MONTHLY', '2025-01-31', '2025-02-28')).toEqual({
      start: '2025-02-28',
      end: '2025-03-30',
    });
    expect(modelPeriod('MONTHLY', '2024-01-31', '2024-02-29')).toEqual({
      start: '2024-02-29',
      end: '2024-03-30',
    });
    expect(modelPeriod('MONTHLY', '2025-01-31', '2025-04-30')).toEqual({
      start: '2025-04-30',
      end: '2025-05-30',
    });
    expect(modelPeriod('YEARLY', '2024-02-29', '2025-03-01')).toEqual({
      start: '2025-02-28',
      end: '2026-02-27',
    });
    expect(modelPeriod('WEEKLY', '2026-11-04', '2026-11-30')).toEqual({
      start: '2026-11-25',
      end: '2026-12-01',
    });
    expect(money(cents('-0.05'))).toBe('-0.05');
  });
});

describe('budget CRUD and validation', () => {
  let world: World;
  let food: string;
  let salary: string;
  beforeAll(async () => {
    world = await World.create('crud');
    food = await world.category('Food');
    salary = await world.category('Bonus', 'INCOME');
  });

  it('creates with the defaults: thresholds [80, 100], no rollover, startDate the first of this month', async () => {
    const before = todayUtc();
    const data = await world.client.data(CREATE_BUDGET, { input: { amount: '250.5', period: 'MONTHLY' } });
    const after = todayUtc();
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

  it('refuses bad input with BAD_USER_INPUT and the field, and creates nothing', async () => {
    const count = (await world.client.data(BUDGETS)).budgets.length;
    const base = { amount: '10', period: 'MONTHLY' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, amount: '0' }, 'amount'],
      [{ ...base, amount: '0.00' }, 'amount'],
      [{ ...base, amount: '-5' }, 'amount'],
      [{ ...base, amount: '1.005' }, 'amount'],
      [{ ...base, alertThresholds: [0] }, 'alertThresholds'],
      [{ ...base, alertThresholds: [80, 1001] }, 'alertThresholds'],
      [{ ...base, alertThresholds: [-5] }, 'alertThresholds'],
      [{ ...base, alertThresholds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, 'alertThresholds'],
      [{ ...base, categoryId: salary }, 'categoryId'],
      [{ ...base, startDate: '2025-02-29' }, 'startDate'],
    ];
    for (const [input, field] of cases) {
      expectError(await world.client.request(CREATE_BUDGET, { input }), 'BAD_USER_INPUT', field);
    }
    expect((await world.client.data(BUDGETS)).budgets.length).toBe(count);
  });

  it('a non-integer threshold: BAD_USER_INPUT with field alertThresholds', async () => {
    const result = await world.client.request(CREATE_BUDGET, {
      input: { amount: '10', period: 'MONTHLY', alertThresholds: [80, 50.5] },
    });
    expectError(result, 'BAD_USER_INPUT', 'alertThresholds');
  });

  it("another user's category or an unknown id: NOT_FOUND", async () => {
    const other = await World.create('other');
    const theirs = await other.category('Theirs');
    for (const categoryId of [theirs, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expectError(
        await world.client.request(CREATE_BUDGET, { input: { amount: '10', period: 'MONTHLY', categoryId } }),
        'NOT_FOUND',
      );
    }
  });

  it('updates only the fields given; categoryId null counts every expense; validates like create', async () => {
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

    const bad: [Record<string, unknown>, string, string?][] = [
      [{ amount: '0' }, 'BAD_USER_INPUT', 'amount'],
      [{ amount: '-0.01' }, 'BAD_USER_INPUT', 'amount'],
      [{ alertThresholds: [0, 50] }, 'BAD_USER_INPUT', 'alertThresholds'],
      [{ alertThresholds: [1001] }, 'BAD_USER_INPUT', 'alertThresholds'],
      [{ alertThresholds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }, 'BAD_USER_INPUT', 'alertThresholds'],
      [{ categoryId: salary }, 'BAD_USER_INPUT', 'categoryId'],
      [{ categoryId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
    ];
    for (const [input, code, field] of bad) {
      expectError(await world.client.request(UPDATE_BUDGET, { id, input }), code, field);
      expect((await world.client.data(BUDGET, { id })).budget, JSON.stringify(input)).toEqual(snapshot);
    }
  });

  it('deletes: true, then budget/updateBudget/deleteBudget are NOT_FOUND and the list omits it', async () => {
    const id = await world.createBudget({
      categoryId: null,
      amount: 100n,
      period: 'WEEKLY',
      startDate: '2026-01-01',
      rollover: false,
    });
    expect((await world.client.data(BUDGETS)).budgets.map((b: { id: string }) => b.id)).toContain(id);
    expect((await world.client.data(DELETE_BUDGET, { id })).deleteBudget).toBe(true);
    expectError(await world.client.request(BUDGET, { id }), 'NOT_FOUND');
    expectError(await world.client.request(UPDATE_BUDGET, { id, input: { amount: '5' } }), 'NOT_FOUND');
    expectError(await world.client.request(DELETE_BUDGET, { id }), 'NOT_FOUND');
    expect((await world.client.data(BUDGETS)).budgets.map((b: { id: string }) => b.id)).not.toContain(id);
    expectError(await world.client.request(BUDGET, { id: 'nope' }), 'NOT_FOUND');
  });

  it('history: periods 1..36, anything else BAD_USER_INPUT; default 6', async () => {
    const id = await world.createBudget({
      categoryId: null,
      amount: 100n,
      period: 'WEEKLY',
      startDate: '2026-01-01',
      rollover: false,
    });
    for (const periods of [0, -1, 37, 1000]) {
      expectError(await world.client.request(HISTORY, { id, periods }), 'BAD_USER_INPUT', 'periods');
    }
    for (const periods of [1, 36]) {
      expect((await world.client.data(HISTORY, { id, periods })).budget.history).toHaveLength(periods);
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
    expectError(await server.client().request(BUDGETS), 'UNAUTHENTICATED');
    expectError(
      await server.client().request(CREATE_BUDGET, { input: { amount: '1', period: 'MONTHLY' } }),
      'UNAUTHENTICATED',
    );
  });
});

describe("other users' budgets", () => {
  it('behave as unknown ids: NOT_FOUND for budget, updateBudget and deleteBudget; nothing changes', async () => {
    const alice = await World.create('alice');
    const bob = await World.create('bob');
    const aliceFood = await alice.category('Food');
    const id = await alice.createBudget({
      categoryId: aliceFood,
      amount: 5000n,
      period: 'MONTHLY',
      startDate: '2026-01-01',
      rollover: false,
    });
    const before = (await alice.client.data(BUDGET, { id })).budget;

    expectError(await bob.client.request(BUDGET, { id }), 'NOT_FOUND');
    expectError(await bob.client.request(STATUS_ON, { id, date: '2026-02-01' }), 'NOT_FOUND');
    expectError(await bob.client.request(UPDATE_BUDGET, { id, input: { amount: '1' } }), 'NOT_FOUND');
    expectError(await bob.client.request(UPDATE_BUDGET, { id, input: { categoryId: null } }), 'NOT_FOUND');
    expectError(await bob.client.request(DELETE_BUDGET, { id }), 'NOT_FOUND');
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
      'NOT_FOUND',
    );
    expect((await bob.client.data(BUDGET, { id: bobs })).budget.category).toBeNull();
  });
});

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
    world = await World.create('spending');
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
    const stranger = await World.create('stranger');
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
    const world = await World.create('delete-category');
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

    expectError(await world.client.request(BUDGET, { id: ids.restaurants }), 'NOT_FOUND');
    expectError(await world.client.request(BUDGET, { id: ids.restaurants2 }), 'NOT_FOUND');
    expectError(
      await world.client.request(UPDATE_BUDGET, { id: ids.restaurants, input: { amount: '1' } }),
      'NOT_FOUND',
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

describe('rollover', () => {
  let world: World;
  let usd: string;
  let food: string;
  let id: string;
  // MONTHLY from 2026-01-10, 100.00 a period. Periods run from the 10th to the 9th.
  let rule: Rule;

  beforeAll(async () => {
    world = await World.create('rollover');
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
      const today = todayUtc();
      const data = await world.client.data(
        `query ($id: ID!, $periods: Int) { budget(id: $id) {
           history(periods: $periods) { ${STATUS_FIELDS} }
           status { ${STATUS_FIELDS} }
           onToday: status(date: "${today}") { ${STATUS_FIELDS} } } }`,
        { id, periods },
      );
      if (todayUtc() !== today) return; // midnight passed during the request: nothing to compare
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

describe('periods through the API', () => {
  it('day 31, 29 Feb and a Wednesday, edges inclusive', async () => {
    const world = await World.create('periods');
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
    const world = await World.create('far-years');
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

describe('randomised: statuses and histories against the model', () => {
  it('many budgets, dates and edits (fixed seed)', async () => {
    const random = prng(20261130);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const world = await World.create('random');
    const usd = [await world.account(), await world.account()];
    const eur = await world.account('EUR');
    const food = await world.category('Food');
    const restaurants = await world.category('Restaurants', 'EXPENSE', food);
    const sushi = await world.category('Sushi', 'EXPENSE', restaurants);
    const coffee = await world.category('Coffee', 'EXPENSE', food);
    const rent = await world.category('Rent');
    const expenseCategories = [food, restaurants, sushi, coffee, rent, null];
    const from = day('2024-11-01');
    const to = day('2027-02-28');
    const randomDate = () => dateOf(from + Math.floor(random() * (to - from + 1)));

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
        const today = todayUtc();
        const history: Status[] = (await world.client.data(HISTORY, { id: ids[i], periods })).budget.history;
        if (todayUtc() !== today) continue;
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
