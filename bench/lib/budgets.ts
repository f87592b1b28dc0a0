import { gql } from './app.js';

/** The first day of the month `months` before this one (UTC). */
export const monthsAgo = (months: number): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
};

/** "YYYY-MM-DD" of a UTC date. */
export const day = (date: Date): string => date.toISOString().slice(0, 10);

export interface BudgetInput {
  amount: string;
  period: 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  rollover?: boolean;
  startDate?: string;
  categoryId?: string;
  alertThresholds?: number[];
}

/**
 * A MONTHLY rollover budget for all expenses that started five years ago: the budget whose
 * status depends on the whole history (R2, W3).
 */
export const fiveYearRolloverBudget = (): BudgetInput => ({
  amount: '2500.00',
  period: 'MONTHLY',
  rollover: true,
  startDate: day(monthsAgo(60)),
});

/** Creates a budget through the API; returns its id. */
export async function createBudget(url: string, token: string, input: BudgetInput): Promise<string> {
  const { createBudget } = await gql<{ createBudget: { id: string } }>(
    url,
    'mutation ($i: CreateBudgetInput!) { createBudget(input: $i) { id } }',
    { i: input },
    token,
  );
  return createBudget.id;
}
