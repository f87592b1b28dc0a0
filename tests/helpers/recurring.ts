/** Recurring transactions in tests: the movable clock, the GraphQL documents, a person's set-up. */
import { expect } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { findBalanceDrift, findTotalsDrift } from '../../src/modules/ledger/verify.js';
import type { RunningServer } from '../../src/server.js';
import { INTERNAL_SERVER_ERROR } from './error-codes.js';
import type { GraphQLClient } from './graphql.js';
import { categoriesByName, createAccount } from './ledger.js';
import { registerUser } from './users.js';

export const DAY = 86_400_000;
/** Tokens outlive the days the clock is moved by. */
export const LONG_TTL = 3 * 365 * 24 * 3600;

/** The servers' clock: starts on START and moves only when a test says so. */
export class TestClock implements Clock {
  private time: number;
  constructor(date: string) {
    this.time = Date.parse(`${date}T12:00:00Z`);
  }
  now = (): number => this.time;
  today = (): string => new Date(this.time).toISOString().slice(0, 10);
  advance(days: number): void {
    this.time += days * DAY;
  }
  set(date: string): void {
    this.time = Date.parse(`${date}T12:00:00Z`);
  }
}

export const SCHEDULE_FIELDS = `id frequency interval startDate dayOfMonth endDate count type amount description tags
  nextDate createdAt account { id name } transferAccount { id } category { id name }`;
export const CREATE = `mutation ($input: CreateRecurringTransactionInput!) {
  createRecurringTransaction(input: $input) { ${SCHEDULE_FIELDS} } }`;
export const UPDATE = `mutation ($id: ID!, $input: UpdateRecurringTransactionInput!) {
  updateRecurringTransaction(id: $id, input: $input) { ${SCHEDULE_FIELDS} } }`;
export const DELETE = 'mutation ($id: ID!) { deleteRecurringTransaction(id: $id) }';
export const GET = `query ($id: ID!) { recurringTransaction(id: $id) { ${SCHEDULE_FIELDS} } }`;
export const LIST = `{ recurringTransactions { ${SCHEDULE_FIELDS} } }`;
export const OCCURRENCE_FIELDS =
  'schedule { id } scheduledDate date type amount description category { name } skipped edited';
export const UPCOMING = `query ($days: Int!, $first: Int) { upcoming(days: $days, first: $first) { ${OCCURRENCE_FIELDS} } }`;
export const SKIP = `mutation ($id: ID!, $date: Date!) { skipOccurrence(scheduleId: $id, date: $date) { ${OCCURRENCE_FIELDS} } }`;
export const EDIT = `mutation ($id: ID!, $date: Date!, $input: OccurrenceEditInput!) {
  editOccurrence(scheduleId: $id, date: $date, input: $input) { ${OCCURRENCE_FIELDS} } }`;
export const TRANSACTIONS = `query ($search: String) { transactions(first: 500, filter: { search: $search }, sort: { field: DATE, direction: ASC }) {
  nodes { id date amount type description tags category { name } account { id balance } } } }`;

export interface Person {
  id: string;
  client: GraphQLClient;
  account: string;
  other: string;
  categories: Record<string, string>;
}

export async function person(on: { client(token?: string): GraphQLClient }): Promise<Person> {
  const user = await registerUser(on.client());
  const client = on.client(user.accessToken);
  const account = (await createAccount(client, { name: 'Main', openingBalance: '1000' })).id;
  const other = (await createAccount(client, { name: 'Savings', openingBalance: '0' })).id;
  return { id: user.id, client, account, other, categories: await categoriesByName(client) };
}

export async function schedule(p: Person, input: Record<string, unknown>): Promise<any> {
  const data = await p.client.data(CREATE, {
    input: { type: 'EXPENSE', amount: '10', accountId: p.account, frequency: 'DAILY', ...input },
  });
  return data.createRecurringTransaction;
}

export async function transactions(p: Person, search?: string): Promise<any[]> {
  return (await p.client.data(TRANSACTIONS, { search })).transactions.nodes;
}

/** Ticks until nothing more is due (each tick is bounded). */
export async function tickAll(on: RunningServer): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const result = await on.recurring.tick();
    if (result.materialized + result.passed + result.failed === 0) return;
  }
  throw new Error('ticks do not end');
}

export async function refused(
  client: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<string> {
  const result = await client.request(query, variables);
  expect(JSON.stringify(result)).not.toContain(INTERNAL_SERVER_ERROR);
  expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field !== undefined)
    expect(result.errors?.[0]?.extensions?.field, JSON.stringify(result.errors)).toBe(field);
  return result.errors![0]!.message;
}

export async function noDrift(on: RunningServer): Promise<void> {
  expect(await findBalanceDrift(on.app.orm.em.fork())).toEqual([]);
  expect(await findTotalsDrift(on.app.orm.em.fork())).toEqual([]);
}
