import { ValidateNested } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { IntBetween } from '../../validation/decorators.js';
import { SortDirection, TransactionSort, TransactionSortField } from './transaction-connection.type.js';
import { TransactionFilter } from './transaction.inputs.js';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_SORT: TransactionSort = {
  field: TransactionSortField.DATE,
  direction: SortDirection.DESC,
};

@ArgsType()
export class TransactionsArgs {
  @Field(() => TransactionFilter, { nullable: true })
  @ValidateNested()
  filter?: TransactionFilter | null;

  @Field(() => TransactionSort, { nullable: true, defaultValue: DEFAULT_SORT })
  sort?: TransactionSort | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  @IntBetween(1, MAX_PAGE_SIZE)
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true })
  @IntBetween(0, Number.MAX_SAFE_INTEGER)
  offset?: number | null;
}
