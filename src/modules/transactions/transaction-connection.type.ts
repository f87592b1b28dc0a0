import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Transaction } from './transaction.entity.js';
import type { TransactionRow } from './transaction-row.js';

export enum TransactionSortField {
  DATE = 'DATE',
  AMOUNT = 'AMOUNT',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(TransactionSortField, { name: 'TransactionSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class TransactionSort {
  @Field(() => TransactionSortField)
  field: TransactionSortField;

  @Field(() => SortDirection)
  direction: SortDirection;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType({ simpleResolvers: true })
export class TransactionEdge {
  @Field()
  cursor: string;

  @Field(() => Transaction)
  node: TransactionRow;
}

/** totalCount is a field resolver calling countTotal, so the count runs only when selected. */
@ObjectType({
  description: 'Order is stable: ties on the sort field are broken by id.',
  simpleResolvers: true,
})
export class TransactionConnection {
  @Field(() => [TransactionEdge])
  edges: TransactionEdge[];

  @Field(() => [Transaction])
  nodes: TransactionRow[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  countTotal: () => Promise<number>;
}
