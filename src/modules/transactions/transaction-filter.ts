import type { SqlParams } from '../../db/sql-params.js';
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
  if (filter.accountIds?.length) {
    const [from, to] = [params.array(filter.accountIds, 'uuid'), params.array(filter.accountIds, 'uuid')];
    parts.push(`(t.account_id = any(${from}) or t.transfer_account_id = any(${to}))`);
  }
  if (filter.categoryIds?.length)
    parts.push(`t.category_id = any(${params.array(filter.categoryIds, 'uuid')})`);
  if (filter.types?.length) parts.push(`t.type = any(${params.array(filter.types, 'transaction_type')})`);
  if (filter.minAmount != null) parts.push(`t.amount >= ${params.add(filter.minAmount)}::numeric`);
  if (filter.maxAmount != null) parts.push(`t.amount <= ${params.add(filter.maxAmount)}::numeric`);
  if (filter.search) {
    parts.push(`t.description ilike ${params.add(`%${escapeLike(filter.search)}%`)} escape '\\'`);
  }
  if (filter.tags?.length) parts.push(`t.tags @> ${params.array(filter.tags, 'text')}`);
  return parts.join(' and ');
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
