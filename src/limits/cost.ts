import type { ComplexityEstimator, ComplexityEstimatorArgs } from 'graphql-query-complexity';

/**
 * How much an operation may make the server do, counted before it runs, with its variables
 * applied (src/graphql/operation-limits.ts). Every field costs 1 plus what it selects; a list
 * costs its length times what each item selects, the length being the argument that bounds it
 * (`first`, `periods`) or, for lists without one, the most a user can have; a field that runs
 * its own SQL aggregate adds a fixed amount. The numbers are relative, not milliseconds.
 */

/** The per-user bounds that cap lists without a `first` (MAX_ACCOUNTS, …). */
export interface UserLimits {
  maxAccounts: number;
  maxCategories: number;
  maxBudgets: number;
  maxRules: number;
  maxRecurring: number;
}

/** What the estimators receive as their context. */
export interface CostContext {
  limits: UserLimits;
}

/** One SQL aggregate or count, compared with a field read from a row already loaded. */
export const QUERY_COST = 10;

type Args = Record<string, unknown>;

/** A whole-number argument as the resolver will use it: its default when absent, clamped to [1, max]. */
export function sizeArg(args: Args, name: string, fallback: number, max: number): number {
  const value = args[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(value)));
}

/**
 * A list field: `length(args, limits)` items, each costing what it selects (at least 1), plus
 * `base` for running the query.
 */
export function listCost(
  length: (args: Args, limits: UserLimits) => number,
  base = QUERY_COST,
): ComplexityEstimator {
  return ({ args, childComplexity, context }: ComplexityEstimatorArgs) =>
    base + length(args, (context as CostContext).limits) * Math.max(1, childComplexity);
}

/** A field that runs its own query: a fixed amount plus what it selects. */
export const queryCost: ComplexityEstimator = ({ childComplexity }) => QUERY_COST + childComplexity;
