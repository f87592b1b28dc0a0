import { MAX_DATE, MIN_DATE } from '../../calendar/dates.js';
import type { SqlParams } from '../../db/sql-params.js';
import { segmentSums, segmentTable } from '../ledger/total-ranges.js';
import type { TransactionFilter } from './transaction.inputs.js';

/**
 * The caller's transactions (as `t`) matching the filter, as one SQL condition whose values go
 * to `params`. Check the filter's ids with assertOwned first: here they only narrow the caller's
 * own rows.
 */
export function filterCondition(userId: string, filter: TransactionFilter, params: SqlParams): string {
  const parts = [`t.user_id = ${params.add(userId)}`];
  if (filter.from) parts.push(`t.date >= ${params.add(filter.from)}::date`);
  if (filter.to) parts.push(`t.date <= ${params.add(filter.to)}::date`);
  parts.push(...keyConditions('t', filter, params));
  if (filter.minAmount != null) parts.push(`t.amount >= ${params.add(filter.minAmount)}::numeric`);
  if (filter.maxAmount != null) parts.push(`t.amount <= ${params.add(filter.maxAmount)}::numeric`);
  if (filter.search) {
    parts.push(`t.description ilike ${params.add(`%${escapeLike(filter.search)}%`)} escape '\\'`);
  }
  if (filter.tags?.length) parts.push(`t.tags @> ${params.array(filter.tags, 'text')}`);
  return parts.join(' and ');
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * The filter's accounts (either side of a transfer), categories and types as conditions on
 * `alias`: columns that transactions and their running totals share.
 */
function keyConditions(alias: string, filter: TransactionFilter, params: SqlParams): string[] {
  const parts: string[] = [];
  if (filter.accountIds?.length) {
    const [from, to] = [params.array(filter.accountIds, 'uuid'), params.array(filter.accountIds, 'uuid')];
    parts.push(`(${alias}.account_id = any(${from}) or ${alias}.transfer_account_id = any(${to}))`);
  }
  if (filter.categoryIds?.length)
    parts.push(`${alias}.category_id = any(${params.array(filter.categoryIds, 'uuid')})`);
  if (filter.types?.length)
    parts.push(`${alias}.type = any(${params.array(filter.types, 'transaction_type')})`);
  return parts;
}

/**
 * The count of the caller's transactions matching the filter as a query of the running totals
 * (ledger/totals.ts), which are kept per day, account, transfer account, category and type: the
 * cost follows the date range, not the number of rows. Null when the filter also uses amounts,
 * search or tags, which only the rows can answer.
 */
export function totalsCount(userId: string, filter: TransactionFilter, params: SqlParams): string | null {
  if (filter.minAmount != null || filter.maxAmount != null || filter.search || filter.tags?.length)
    return null;
  const range = { from: filter.from ?? MIN_DATE, to: filter.to ?? MAX_DATE };
  return `select coalesce(sum(sums.count), 0) as count
    from ${segmentTable([range], params)}
    join ${segmentSums(userId, params, (p) => ['true', ...keyConditions('lt', filter, p)].join(' and '))} as sums on true`;
}
