import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { TransactionConnection } from './transaction-connection.type.js';

@Resolver(() => TransactionConnection)
export class TransactionConnectionResolver {
  /** Counted only when a query selects it (its query is in the cost of `transactions`). */
  @FieldResolver(() => Int)
  totalCount(@Root() connection: TransactionConnection): Promise<number> {
    return connection.countTotal();
  }
}
