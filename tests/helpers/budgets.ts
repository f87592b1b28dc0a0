import type { GraphQLClient } from './graphql.js';
import { BUDGET_ALERTS, CREATE_BUDGET, CREATE_CATEGORY } from './operations.js';

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
  const data = await client.data(CREATE_BUDGET, {
    input: { period: 'MONTHLY', startDate: '2026-01-01', ...input },
  });
  return data.createBudget;
}

export async function createCategory(
  client: GraphQLClient,
  input: { name: string; kind?: string; parentId?: string },
): Promise<string> {
  const data = await client.data(CREATE_CATEGORY, { input: { kind: 'EXPENSE', ...input } });
  return data.createCategory.id;
}

export async function listAlerts(
  client: GraphQLClient,
  args: { unreadOnly?: boolean; first?: number } = {},
): Promise<AlertView[]> {
  const data = await client.data<{ budgetAlerts: AlertView[] }>(BUDGET_ALERTS, {
    unreadOnly: args.unreadOnly ?? false,
    first: args.first ?? 500,
  });
  return data.budgetAlerts;
}
