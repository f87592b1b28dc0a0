import type { GraphQLClient } from './graphql.js';

/** Every BudgetAlert field of the contract, with the budget's id and name. */
export const ALERT_FIELDS = `id threshold periodStart periodEnd spent available percentUsed read createdAt
  budget { id name }`;

export interface AlertView {
  id: string;
  threshold: number;
  periodStart: string;
  periodEnd: string;
  spent: string;
  available: string;
  percentUsed: number;
  read: boolean;
  createdAt: string;
  budget: { id: string; name: string };
}

export async function createBudget(
  client: GraphQLClient,
  input: Record<string, unknown>,
): Promise<{ id: string; name: string; alertThresholds: number[] }> {
  const data = await client.data(
    `mutation ($input: CreateBudgetInput!) { createBudget(input: $input) { id name alertThresholds } }`,
    { input: { period: 'MONTHLY', startDate: '2026-01-01', ...input } },
  );
  return data.createBudget;
}

export async function createCategory(
  client: GraphQLClient,
  input: { name: string; kind?: string; parentId?: string },
): Promise<string> {
  const data = await client.data(
    `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`,
    { input: { kind: 'EXPENSE', ...input } },
  );
  return data.createCategory.id;
}

export async function listAlerts(
  client: GraphQLClient,
  args: { unreadOnly?: boolean; first?: number } = {},
): Promise<AlertView[]> {
  const data = await client.data<{ budgetAlerts: AlertView[] }>(
    `query ($unreadOnly: Boolean, $first: Int) {
       budgetAlerts(unreadOnly: $unreadOnly, first: $first) { ${ALERT_FIELDS} }
     }`,
    { unreadOnly: args.unreadOnly ?? false, first: args.first ?? 500 },
  );
  return data.budgetAlerts;
}

/** The calendar month of a date: the period of a MONTHLY budget anchored on a 1st. */
export function calendarMonth(date: string): { start: string; end: string } {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { start: `${year}-${mm}-01`, end: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}

/** spent / available * 100, as the contract defines percentUsed for a positive available. */
export function percentOf(spentCents: bigint, availableCents: bigint): number {
  return (Number(spentCents) * 100) / Number(availableCents);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with `label`, so a wait can never hang a test. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
