import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth/auth-checker.js';
import { DateTimeScalar } from './money/scalars.js';
import type { AppPubSub, Topics } from './pubsub/pubsub.js';
import { AccountResolver } from './modules/accounts/account.resolver.js';
import { BudgetAlertResolver } from './modules/alerts/budget-alert.resolver.js';
import { BudgetResolver } from './modules/budgets/budget.resolver.js';
import {
  CategoryAmountResolver,
  DashboardResolver,
  ReportResolver,
} from './modules/reports/report.resolver.js';
import { CategoryResolver } from './modules/categories/category.resolver.js';
import { ImportResolver, ImportRowResolver } from './modules/imports/import.resolver.js';
import { RuleResolver } from './modules/rules/rule.resolver.js';
import { RecurringResolver, UpcomingOccurrenceResolver } from './modules/recurring/recurring.resolver.js';
import { TransactionConnectionResolver } from './modules/transactions/transaction-connection.resolver.js';
import { TransactionResolver } from './modules/transactions/transaction.resolver.js';
import { TransactionChangeResolver } from './modules/transactions/transaction-change.resolver.js';
import { AuthResolver } from './modules/users/auth.resolver.js';
import { UserResolver } from './modules/users/user.resolver.js';

/** Every resolver of the API; a feature is added to the schema by adding it here. */
export const resolvers = [
  AuthResolver,
  UserResolver,
  AccountResolver,
  CategoryResolver,
  TransactionResolver,
  TransactionConnectionResolver,
  TransactionChangeResolver,
  BudgetResolver,
  BudgetAlertResolver,
  RuleResolver,
  ImportResolver,
  ImportRowResolver,
  RecurringResolver,
  UpcomingOccurrenceResolver,
  ReportResolver,
  DashboardResolver,
  CategoryAmountResolver,
] as const;

/** The schema bound to a server's pub/sub (subscriptions listen on it). */
export function buildAppSchema(pubSub: AppPubSub = createPubSub<Topics>()): Promise<GraphQLSchema> {
  return buildSchema({
    pubSub,
    resolvers,
    authChecker,
    // class-validator on every input and args class; unknown objects are not an error.
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
}

/** The SDL committed as schema.graphql: sorted, so it changes only when the API does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
