import { canonicalId } from '../../db/ids.js';
import { badInput } from '../../errors/app-error.js';
import { formatMoney, isPositive } from '../../money/money.js';
import type { LedgerEntry } from '../ledger/balances.js';
import { TransactionType } from './transaction.entity.js';
import type { TransactionRow } from './transaction-row.js';
import type { CreateTransactionInput, UpdateTransactionInput } from './transaction.inputs.js';

/** A transaction as it is to be stored: normalised and checked for shape (not yet for ownership). */
export interface TransactionSpec extends LedgerEntry {
  type: TransactionType;
  date: string;
  categoryId: string | null;
  description: string | null;
  payee: string | null;
  tags: string[];
}

export function specOf(transaction: TransactionRow): TransactionSpec {
  return {
    type: transaction.type,
    amount: formatMoney(transaction.amount),
    date: transaction.date,
    accountId: transaction.account.id,
    transferAccountId: transaction.transferAccount?.id ?? null,
    categoryId: transaction.category?.id ?? null,
    description: transaction.description,
    payee: transaction.payee,
    tags: transaction.tags,
  };
}

export function specForCreate(input: CreateTransactionInput): TransactionSpec {
  return checkShape({
    type: input.type,
    amount: input.amount,
    date: input.date,
    accountId: input.accountId,
    transferAccountId: input.transferAccountId ?? null,
    categoryId: input.categoryId ?? null,
    description: cleanDescription(input.description),
    payee: cleanDescription(input.payee),
    tags: cleanTags(input.tags),
  });
}

/**
 * Fields left out keep their value. Changing the type away from TRANSFER clears transferAccount;
 * changing it to TRANSFER needs a transferAccountId and clears the category.
 */
export function specForUpdate(current: TransactionSpec, input: UpdateTransactionInput): TransactionSpec {
  const type = input.type ?? current.type;
  const isTransfer = type === TransactionType.TRANSFER;
  const wasTransfer = current.type === TransactionType.TRANSFER;
  return checkShape({
    type,
    amount: input.amount ?? current.amount,
    date: input.date ?? current.date,
    accountId: input.accountId ?? current.accountId,
    transferAccountId: isTransfer
      ? (input.transferAccountId ?? (wasTransfer ? current.transferAccountId : null))
      : (input.transferAccountId ?? null),
    categoryId: isTransfer
      ? (input.categoryId ?? null)
      : input.categoryId !== undefined
        ? input.categoryId
        : current.categoryId,
    description: input.description !== undefined ? cleanDescription(input.description) : current.description,
    payee: input.payee !== undefined ? cleanDescription(input.payee) : current.payee,
    tags: input.tags !== undefined ? cleanTags(input.tags) : current.tags,
  });
}

function checkShape(given: TransactionSpec): TransactionSpec {
  const spec = {
    ...given,
    accountId: canonicalId(given.accountId),
    transferAccountId: given.transferAccountId && canonicalId(given.transferAccountId),
    categoryId: given.categoryId && canonicalId(given.categoryId),
  };
  if (!isPositive(spec.amount)) throw badInput('amount', 'amount must be greater than 0');
  if (spec.type === TransactionType.TRANSFER) {
    if (!spec.transferAccountId) throw badInput('transferAccountId', 'A TRANSFER needs transferAccountId');
    if (spec.categoryId) throw badInput('categoryId', 'A TRANSFER has no category');
    if (spec.transferAccountId === spec.accountId) {
      throw badInput('transferAccountId', 'transferAccountId must be another account');
    }
  } else if (spec.transferAccountId) {
    throw badInput('transferAccountId', 'Only a TRANSFER has a transferAccountId');
  }
  return { ...spec, amount: formatMoney(spec.amount) };
}

function cleanDescription(description: string | null | undefined): string | null {
  return description?.trim() || null;
}

/** Trimmed, without duplicates, in the order given. */
function cleanTags(tags: string[] | null | undefined): string[] {
  return [...new Set((tags ?? []).map((tag) => tag.trim()).filter(Boolean))];
}
