import { Account } from './modules/accounts/account.entity.js';
import { BudgetAlert } from './modules/alerts/budget-alert.entity.js';
import { Budget } from './modules/budgets/budget.entity.js';
import { Category } from './modules/categories/category.entity.js';
import { ImportRecord } from './modules/imports/import.entity.js';
import { Rule } from './modules/rules/rule.entity.js';
import {
  RecurringOccurrence,
  RecurringOccurrenceEdit,
  RecurringTransaction,
} from './modules/recurring/recurring.entity.js';
import { IdempotencyKey } from './modules/transactions/idempotency-key.entity.js';
import { Transaction } from './modules/transactions/transaction.entity.js';
import { RefreshToken } from './modules/users/refresh-token.entity.js';
import { User } from './modules/users/user.entity.js';

/**
 * Every entity, listed explicitly: no globbing, so the build, the scripts and the tests agree.
 * Part of the composition root: db/ opens whatever it is given and knows no feature.
 */
export const entities = [
  User,
  RefreshToken,
  Account,
  Category,
  Transaction,
  IdempotencyKey,
  Budget,
  BudgetAlert,
  Rule,
  ImportRecord,
  RecurringTransaction,
  RecurringOccurrence,
  RecurringOccurrenceEdit,
];
